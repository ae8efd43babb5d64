"""The one base of credcat's errors, and the exit codes they map to.

Every failure a user can cause is a `CredcatError` whose message says what is wrong and what to
do; the command line prints it as one line and exits with its `exit_code`, so the same kind of
failure exits the same way whatever the command (the README's "Exit codes" table). Scripts and
CI rely on the codes, so they follow the Unix convention: 0 success, 1 the input is wrong,
2 the command line asks for something that cannot be done.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    # The input is wrong: catalog errors, a credential that does not verify, an unusable key,
    # roster or status list. Fixing the files fixes it.
    INVALID = 1
    # The command line is wrong: missing or contradictory flags, an id or revision that does
    # not exist, a file that cannot be read, an output that would be overwritten.
    USAGE = 2
    # credcat itself failed (a bug): the message asks the user to report it.
    INTERNAL = 3
    # Interrupted with Ctrl-C (128 + SIGINT, as shells report it).
    INTERRUPTED = 130


class CredcatError(Exception):
    """A failure with a message in words that say what to do, and the exit code it means.

    Subclasses set the usual `exit_code` of their kind; a raise site whose failure is of
    another kind (an unknown id on the command line is a usage error) passes `exit_code`.
    `details` are further lines printed under the message (one per bad roster row, ...).
    """

    exit_code: ExitCode = ExitCode.INVALID

    def __init__(self, message: str = "", *, exit_code: ExitCode | None = None,
                 details: list[str] | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
        self.details = list(details or [])
