"""The command line. Before any command's module, the client's libraries are imported without
the extras boardport never uses (entrypoints.runtime): start-up is paid by every run of a script
or a CI job."""

from entrypoints.runtime import import_cli_libraries_without_unused_extras

import_cli_libraries_without_unused_extras()
