"""Types shared by the API schemas of every app."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

#: A row's id sent by a client: positive and within a 64-bit integer, the range of the id columns. Larger
#: numbers would overflow the database driver (a 500); the API refuses them with 422 `invalid_input`.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Payload(BaseModel):
    """A request or response body that is only ever JSON or plain values. ninja's `Schema` passes every
    object it validates through a wrapper that reads Django model attributes (`from_attributes`); a body
    built from JSON or dicts does not need it, and reception's (a nested body and its answer) spent about a
    tenth of a millisecond a request in it."""
