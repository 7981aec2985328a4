"""A stand-in browser for ``BROWSER="python fake_browser.py %s &"``: approve and follow."""

from __future__ import annotations

import sys

from tests.auth.oauth_helpers import approve

if __name__ == "__main__":
    response = approve(sys.argv[1], decision=sys.argv[2] if len(sys.argv) > 2 else "approve")
    print(f"fake browser: HTTP {response.status_code}", file=sys.stderr)
