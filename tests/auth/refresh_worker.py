"""One run of the tap's authentication in its own process, for the concurrency test.

Reads a config JSON path, builds the authenticator, says "ready", waits for "go" on stdin
(so two workers start refreshing together), then gets a token and uses it once.
"""

from __future__ import annotations

import hashlib
import json
import sys

from tap_bigcommerce.auth import authenticator_from_config
from tap_bigcommerce.client.http import BigCommerceClient

if __name__ == "__main__":
    config = json.loads(open(sys.argv[1]).read())
    auth = authenticator_from_config(config)
    client = BigCommerceClient(api_url=config["api_url"], authenticator=auth, max_retries=2)
    print("ready", flush=True)
    sys.stdin.readline()
    token = auth.access_token()
    body = client.get_json("/v3/catalog/products", params={"limit": 1})
    print(
        json.dumps(
            {
                "token_sha256": hashlib.sha256(token.encode()).hexdigest(),
                "records": len(body["data"]),
            }
        ),
        flush=True,
    )
