"""Errors that are the user's to fix (bad query name, bad parameter): shown as one line, exit 2."""


class UserError(Exception):
    pass
