"""Errors a user can fix: the command line prints their one-line message and exits 2."""

EXIT_USER_ERROR = 2


class UserError(Exception):
    """Something the user gave us is wrong; the message names it and says how to fix it."""
