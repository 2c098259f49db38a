"""Reading an answer's body whether it was sent whole or streamed (the bulk downloads)."""

import json


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text(response) -> str:
    return body(response).decode()


def json_of(response):
    return json.loads(body(response))
