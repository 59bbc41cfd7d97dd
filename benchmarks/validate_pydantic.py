"""`purecloud-internal-message validate FILE` for JSON Lines, in a dozen lines of pydantic
(the "10-line pydantic script" of issue 11)."""

import sys

from pydantic import ValidationError

from peers import PydanticInternalMessage as Model

invalid = 0
with open(sys.argv[1], "rb") as lines:
    for number, line in enumerate(lines, 1):
        try:
            Model.model_validate_json(line)
        except ValidationError as error:
            invalid += 1
            print(f"{sys.argv[1]}:{number}: {error}")
sys.exit(1 if invalid else 0)
