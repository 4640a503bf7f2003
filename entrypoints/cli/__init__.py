"""The command line. Before any command's module, the client's libraries are loaded without
the extras boardport never uses (see entrypoints.lean_imports): start-up is paid by every run
of a script or a CI job."""

from entrypoints.lean_imports import load_client_libraries

load_client_libraries()
