"""The worked example in docs/target.md runs as written: CSV -> converter -> target."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.emulator_process import Emulator
from tests.target.support import SUMMARY, TARGET, config_for, writes

DOC = Path(__file__).resolve().parents[2] / "docs" / "target.md"


def converter_source() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    assert blocks, "docs/target.md lost its converter"
    return blocks[0]


def test_csv_to_store_as_documented(emulator: Emulator, tmp_path: Path) -> None:
    script = tmp_path / "csv_to_singer.py"
    script.write_text(converter_source())
    variants = emulator.collection("product_variants")[:2]
    csv_text = "price_list_id,sku,currency,price,sale_price\n" + "".join(
        f"1,{v['sku']},usd,{849 + i}.00,{'799.50' if i else ''}\n" for i, v in enumerate(variants)
    )
    target_json = tmp_path / "target.json"
    target_json.write_text(json.dumps(config_for(emulator, tmp_path)))
    dry_json = tmp_path / "dry-run.json"
    dry_json.write_text(json.dumps({"dry_run": True}))

    def pipeline(*configs: Path) -> dict:
        converted = subprocess.run(
            [sys.executable, str(script), "price_list_records", "price_list_id,price,sale_price"],
            input=csv_text,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        args = [a for c in configs for a in ("--config", str(c))]
        run = subprocess.run(
            [TARGET, *args], input=converted, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr[-2000:]
        return json.loads(SUMMARY.findall(run.stderr)[-1])["streams"]["price_list_records"]

    dry = pipeline(target_json, dry_json)
    assert dry["created"] + dry["updated"] == 2
    assert writes(emulator) == []

    real = pipeline(target_json)
    assert (real["created"], real["updated"]) == (dry["created"], dry["updated"])
    stored = {
        r["sku"]: r
        for r in emulator.collection("price_list_records")
        if r["price_list_id"] == 1 and r["currency"] == "usd"
    }
    assert stored[variants[0]["sku"]]["price"] == 849
    assert stored[variants[1]["sku"]]["price"] == 850
    assert stored[variants[1]["sku"]]["sale_price"] == 799.5

    again = pipeline(target_json)
    assert again["unchanged"] == 2
