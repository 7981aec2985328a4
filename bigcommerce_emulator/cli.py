"""``bigcommerce-emulator``: serve one or more emulated stores on 127.0.0.1."""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import sys

from bigcommerce_emulator.generator import NAMED_SIZES, Sizes
from bigcommerce_emulator.state import EmulatorState, Latency


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bigcommerce-emulator", description=__doc__)
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--store-hash", action="append", default=[], help="store to create (repeatable)")
    p.add_argument(
        "--token", action="append", default=[], help="token with every scope, one per --store-hash"
    )
    p.add_argument("--seed", type=int, default=1, help="seed of the generated data (default 1)")
    p.add_argument(
        "--size",
        choices=sorted(NAMED_SIZES),
        default="small",
        help="named data size: "
        + ", ".join(f"{n} ({a}/{b}/{c})" for n, (a, b, c) in NAMED_SIZES.items())
        + " products/customers/orders; default small",
    )
    p.add_argument("--products", type=int, help="number of products (overrides --size)")
    p.add_argument("--customers", type=int, help="number of customers (overrides --size)")
    p.add_argument("--orders", type=int, help="number of orders (overrides --size)")
    p.add_argument(
        "--latency-ms", type=int, default=0, help="delay before each store answer (default 0)"
    )
    p.add_argument("--jitter-ms", type=int, default=None, help="default: 10%% of --latency-ms")
    p.add_argument("--quota", type=int, default=150, help="requests per window; 0 = unlimited")
    p.add_argument(
        "--window-ms", type=int, default=30_000, help="quota window in ms (default 30000)"
    )
    p.add_argument("--oauth-client-id", default=None, help="register an OAuth app")
    p.add_argument("--oauth-client-secret", default=None)
    p.add_argument("--oauth-expires-in", type=int, default=None, help="tokens expire (seconds)")
    p.add_argument("--oauth-rotate-refresh", action="store_true")
    args = p.parse_args(argv)
    if not args.host.startswith("127.") and args.host not in ("localhost", "::1"):
        p.error("--host must be a loopback address")
    if args.token and len(args.token) != len(args.store_hash):
        p.error("give one --token per --store-hash")
    for name in ("products", "customers", "orders", "latency_ms", "jitter_ms", "quota"):
        value = getattr(args, name)
        if value is not None and value < 0:
            p.error(f"--{name.replace('_', '-')} must not be negative")
    if args.window_ms <= 0:
        p.error("--window-ms must be positive")
    return args


def build_state(args: argparse.Namespace) -> EmulatorState:
    jitter = args.jitter_ms if args.jitter_ms is not None else args.latency_ms // 10
    state = EmulatorState(latency=Latency(args.latency_ms, jitter))
    base = Sizes.named(args.size)
    sizes = Sizes(
        products=args.products if args.products is not None else base.products,
        customers=args.customers if args.customers is not None else base.customers,
        orders=args.orders if args.orders is not None else base.orders,
    )
    for i, store_hash in enumerate(args.store_hash):
        state.create_store(
            store_hash, seed=args.seed, sizes=sizes, quota=args.quota, window_ms=args.window_ms
        )
        if args.token:
            state.add_token(store_hash, args.token[i])
    state.oauth["settings"] = {
        "expires_in": args.oauth_expires_in,
        "rotate_refresh": args.oauth_rotate_refresh,
    }
    if args.oauth_client_id:
        state.oauth.setdefault("apps", {})[args.oauth_client_id] = args.oauth_client_secret or ""
    return state


async def serve(args: argparse.Namespace) -> None:
    # Imported here so that option errors answer at once, without loading every route.
    from aiohttp import web

    from bigcommerce_emulator.app import make_app

    state = build_state(args)
    app = make_app(state)
    # A short shutdown grace: SIGTERM must not wait a minute for an injected slow answer.
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=3.0)
    await runner.setup()
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    site = web.SockSite(runner, sock, backlog=1024)
    await site.start()
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"bigcommerce-emulator listening on http://{host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        asyncio.run(serve(args))
    except OSError as exc:
        print(
            f"bigcommerce-emulator: cannot listen on {args.host}:{args.port}: {exc}",
            file=sys.stderr,
        )
        raise SystemExit(2) from exc


if __name__ == "__main__":
    main()
