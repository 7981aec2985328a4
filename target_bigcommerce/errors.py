"""Errors the target raises itself, each a one-line message naming what is at fault."""

from __future__ import annotations


class TargetError(Exception):
    """Base of the target's own errors."""


class TargetConfigError(TargetError):
    """A setting is missing or malformed."""


class UnknownStreamError(TargetError):
    """A SCHEMA message names a stream the target cannot write."""


class Terminated(TargetError):
    """A termination signal arrived; nothing after the last finished batch is acknowledged."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum
