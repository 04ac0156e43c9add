"""Types shared by the API schemas of every app."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

#: A row's id sent by a client: positive and within a 64-bit integer, the range of the id columns. Larger
#: numbers would overflow the database driver (a 500); the API refuses them with 422 `invalid_input`.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
