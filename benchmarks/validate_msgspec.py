"""`purecloud-internal-message validate FILE` for JSON Lines, in a dozen lines of msgspec."""

import sys

import msgspec

from peers import StructInternalMessage as Model

decoder, invalid = msgspec.json.Decoder(Model), 0
with open(sys.argv[1], "rb") as lines:
    for number, line in enumerate(lines, 1):
        try:
            decoder.decode(line)
        except msgspec.DecodeError as error:  # ValidationError is one too
            invalid += 1
            print(f"{sys.argv[1]}:{number}: {error}")
sys.exit(1 if invalid else 0)
