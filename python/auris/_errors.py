"""Exceptions: every failure of the C++ core is an auris.Error (a ValueError)
carrying the C++ message; failures to read or write a named file are
auris.FileError, which is also an OSError."""
from . import _auris

Error = _auris.Error
Error.__module__ = "auris"


class FileError(Error, OSError):
    """A file could not be read or written (missing, unreadable, corrupt)."""

    __module__ = "auris"


def file_errors(call, *args):
    """Runs call(*args), turning auris.Error into auris.FileError."""
    try:
        return call(*args)
    except FileError:
        raise
    except Error as e:
        raise FileError(str(e)) from None
