"""One process of the refresh storm: refreshes the token in a shared settings file N times.

Argv: config JSON path, N. Says "ready", waits for "go" on stdin (so two workers start
together), then asks for a token N times, its clock jumping a day ahead before each ask, so
the token it holds is due every time: it refreshes, or adopts the token the other process
refreshed meanwhile if that one is still fresh. Prints one JSON line: how many asks
succeeded and the errors met (one line each)."""

from __future__ import annotations

import json
import sys
import time

from tap_bigcommerce.auth.oauth_authenticator import OAuthAuthenticator
from tap_bigcommerce.auth.settings import AuthSettings


def main() -> None:
    config = json.loads(open(sys.argv[1]).read())
    rounds = int(sys.argv[2])
    ahead = [0.0]
    auth = OAuthAuthenticator(
        AuthSettings.from_config(config), clock=lambda: time.time() + ahead[0]
    )
    print("ready", flush=True)
    sys.stdin.readline()
    done, errors, tokens = 0, [], set()
    for _ in range(rounds):
        ahead[0] += 86400.0
        try:
            tokens.add(auth.access_token())
            done += 1
        except Exception as exc:  # reported to the test, one line each
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    print(json.dumps({"done": done, "distinct_tokens": len(tokens), "errors": errors}), flush=True)


if __name__ == "__main__":
    main()
