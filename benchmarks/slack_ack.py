"""How fast is `/tac` acknowledged under load? TAC Bot's real server against a bare Bolt app.

    python benchmarks/slack_ack.py [--total 1000] [--concurrency 50]

Starts, each in its own process: a fake Slack Web API, `tacbot serve` (SQLite in a temporary
directory, Slack on, pointed at the fake), and a bare Bolt ``AsyncApp`` that only acks, mounted in
aiohttp the same way (once with Bolt's defaults, once with ``process_before_response=True`` as TAC Bot
uses, which answers without Bolt's 10 ms ack polling). Then sends signed `/tac status` and
`/tac open` requests (half each, interleaved, ``concurrency`` at a time) to each server in alternating
rounds, prints p50/p99 of the time to the ack and the ratios, and checks every TAC Bot answer arrives.
Targets: TAC Bot's p99 at most 1.5x bare Bolt's, and under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import aiohttp
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-signing-secret"
TOKEN = "xoxb-test-token"
SENCO = "U0SAM"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the child processes --------------------------------------------------------------------------
async def run_fake_slack(port: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.fakes.slack_api import FakeSlack

    fake = FakeSlack(None)
    fake.users[SENCO] = "Sam"
    await fake.start(port)
    await asyncio.Event().wait()


def run_bare_bolt(port: int, api_url: str, *, inline: bool) -> None:
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=api_url),
        signing_secret=SECRET,
        process_before_response=inline,
    )

    async def ack_only(ack):  # type: ignore[no-untyped-def]
        await ack()

    bolt.command("/tac")(ack_only)

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# -- the load -------------------------------------------------------------------------------------
def bodies(total: int, response_url: str) -> list[str]:
    out = []
    for i in range(total):
        text = "status case TAC-0001" if i % 2 else f"open Pupil {i}"
        out.append(
            urllib.parse.urlencode(
                {
                    "team_id": "T0001",
                    "channel_id": "C0GENERAL",
                    "channel_name": "general",
                    "user_id": SENCO,
                    "user_name": "sam",
                    "command": "/tac",
                    "text": text,
                    "response_url": response_url,
                    "trigger_id": "1.2.3",
                }
            )
        )
    return out


async def load(url: str, payloads: list[str], concurrency: int) -> list[float]:
    verifier = SignatureVerifier(SECRET)
    gate = asyncio.Semaphore(concurrency)
    timings: list[float] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(body: str) -> None:
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": str(verifier.generate_signature(timestamp=stamp, body=body)),
            }
            async with gate:
                start = time.perf_counter()
                async with session.post(url, data=body.encode(), headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{url} answered {response.status}")
                timings.append(time.perf_counter() - start)

        await asyncio.gather(*(one(b) for b in payloads))
    return timings


async def wait_up(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.get(url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"{url} never came up")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


async def answered(fake: str, expected: int) -> float:
    """Wait until the fake Slack has received ``expected`` answers; returns how long that took."""
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        while time.perf_counter() - started < 300:
            async with session.get(fake + "/stats") as response:
                if (await response.json())["responses"] >= expected:
                    break
            await asyncio.sleep(0.05)
        else:
            raise RuntimeError(f"TAC Bot's answers never all arrived ({expected} expected)")
    return time.perf_counter() - started


async def measure(
    servers: dict[str, str], fake: str, total: int, concurrency: int, rounds: int
) -> dict[str, list[float]]:
    """Alternate the servers round by round, so each sees the same machine (other load comes and goes).

    After each TAC Bot round, wait for its deferred work (rooms, replies) to finish, so it neither
    slows the next server's round nor goes unaccounted: every answer must arrive.
    """
    respond = fake + "/respond/1"
    timings: dict[str, list[float]] = {name: [] for name in servers}
    expected = 0  # one answer per TAC Bot command; the bare apps send none
    for name, base in servers.items():
        await wait_up(base + "/slack/events")
        await load(base + "/slack/events", bodies(concurrency, respond), concurrency)  # warm up
        expected += concurrency if name == "TAC Bot" else 0
    await answered(fake, expected)
    per_round = total // rounds
    slowest = 0.0
    for r in range(rounds):
        for name, base in servers.items():
            payloads = bodies(per_round, respond)
            if name == "TAC Bot":  # distinct aliases per round: every `open` makes a new case
                payloads = [p.replace("Pupil+", f"Pupil+{r}x") for p in payloads]
            timings[name] += await load(base + "/slack/events", payloads, concurrency)
            if name == "TAC Bot":
                expected += per_round
                slowest = max(slowest, await answered(fake, expected))
    print(
        f"TAC Bot: all {expected} answers delivered (rooms made, replies sent); the last of a round "
        f"at most {slowest:.1f} s after that round's last ack"
    )
    for name, values in timings.items():
        mean = statistics.mean(values) * 1000
        print(
            f"{name:36s} n={len(values)}  p50 {pct(values, 50):6.1f} ms  p99 {pct(values, 99):6.1f} ms"
            f"  mean {mean:6.1f} ms"
        )
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--total", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4, help="alternate the two servers this many times")
    parser.add_argument("--fake-slack", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--inline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fake_slack:
        asyncio.run(run_fake_slack(args.fake_slack))
        return 0
    if args.bare:
        run_bare_bolt(args.bare, args.api_url, inline=args.inline)
        return 0

    fake_port, tac_port = free_port(), free_port()
    bare_port, inline_port = free_port(), free_port()
    fake = f"http://127.0.0.1:{fake_port}"
    api_url = fake + "/api/"
    children: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api_url,
            "TACBOT_SENCOS": f"slack:{SENCO}",
            "HOST": "127.0.0.1",
            "PORT": str(tac_port),
        }
        env.pop("SLACK_APP_TOKEN", None)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": tmp}
        me = [sys.executable, str(Path(__file__).resolve())]
        try:
            children.append(subprocess.Popen([*me, "--fake-slack", str(fake_port)], **quiet))  # type: ignore[call-overload]
            children.append(
                subprocess.Popen([sys.executable, "-m", "bot", "serve", "--no-scheduler"], env=env, **quiet)  # type: ignore[call-overload]
            )
            children.append(
                subprocess.Popen([*me, "--bare", str(bare_port), "--api-url", api_url], env=env, **quiet)  # type: ignore[call-overload]
            )
            inline = [*me, "--bare", str(inline_port), "--api-url", api_url, "--inline"]
            children.append(subprocess.Popen(inline, env=env, **quiet))  # type: ignore[call-overload]
            print(
                f"{args.total} signed /tac requests to each server (half status, half open), "
                f"{args.concurrency} at a time, in {args.rounds} alternating rounds"
            )

            async def both() -> dict[str, list[float]]:
                await wait_up(fake + "/respond/0")
                servers = {
                    "bare Bolt": f"http://127.0.0.1:{bare_port}",
                    "TAC Bot": f"http://127.0.0.1:{tac_port}",
                    "bare Bolt, process_before_response": f"http://127.0.0.1:{inline_port}",
                }
                return await measure(servers, fake, args.total, args.concurrency, args.rounds)

            timings = asyncio.run(both())
            bare99, tac99 = pct(timings["bare Bolt"], 99), pct(timings["TAC Bot"], 99)
            inline99 = pct(timings["bare Bolt, process_before_response"], 99)
        finally:
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
    ratio = tac99 / bare99
    verdict = "met" if ratio <= 1.5 and tac99 < 100 else "NOT met"
    print(f"p99 ratio TAC Bot / bare Bolt: {ratio:.2f}  (target <= 1.5 and p99 < 100 ms: {verdict})")
    print(
        "p99 ratio TAC Bot / bare Bolt with process_before_response (no 10 ms ack polling): "
        f"{tac99 / inline99:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
