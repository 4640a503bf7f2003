"""What the API (entrypoints.http) and the web pages (entrypoints.web) both need, so that neither
imports the other: the container's attributes as Litestar dependencies, the sending of an export
answer, and the security headers every response carries."""
