"""Size limits enforced on every path (library, HTTP API, web app). One place for each."""

MAX_MESSAGE_CHARS = 4000      # a fan message longer than this is refused, never processed
