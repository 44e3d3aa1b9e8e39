"""The one error ``make up`` reports as ``error: …`` and exits 1 on."""


class UpError(RuntimeError):
    pass
