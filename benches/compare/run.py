"""threat-interview side by side with OWASP pytm, on the same seeded synthetic system.

For each size (in subjects: elements + flows; the synthetic model has exactly three flows per
element, so N elements make 4N subjects), this script

1. writes the seeded synthetic engagement with the core's own generator
   (`target/release/examples/synthetic N SEED`),
2. builds the same system in pytm from that JSON (Actor / Process / Datastore per element kind,
   Boundary with its parent, Dataflow with its protocol, encryption, authentication and Data)
   in a fresh process (pytm keeps global state), runs `TM.check()` and times `TM.resolve()`,
   killed after `--pytm-timeout` seconds (reported as "> T s"),
3. times the CLI end to end: `threat-interview questions FILE --format json > /dev/null`
   (release build), median of `--rounds` runs,
4. in another fresh process, times the Python binding: `load(FILE)`, `generate_questions()`
   and `.to_list()` (every question materialised as a dict), and the Rust library in process
   through `threat_interview._native._time_generate_in_rust` (generation, then generation with
   every question rendered), medians of `--rounds` rounds,

then prints a Markdown table, the ratios and the cost per (subject, rule) pair (pytm: its active
threat rules x its subjects; ours: templates x subjects).

Setup (first run, or `--setup` again): a venv in benches/compare/.venv with pytm from PyPI
(pinned), maturin, and this repository's Python package built as a wheel by `maturin build
--release` and installed into it (`--debug-binding`: the dev profile, faster to build, slower
to run; not `maturin develop`, whose editable install shares the extension that `make test`
rebuilds in debug), and
`cargo build --release` of the CLI and the `synthetic` example. Run from anywhere:

    python3 benches/compare/run.py                      # 2,000, 20,000 and 200,000 subjects
    python3 benches/compare/run.py --sizes 2000,20000   # a quicker run

Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENV = HERE / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".compare-setup-done"
PYTM_VERSION = "1.4.0"
MATURIN_VERSION = "1.16.0"
CLI = ROOT / "target" / "release" / "threat-interview"
SYNTHETIC = ROOT / "target" / "release" / "examples" / "synthetic"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Setup


def setup(debug_binding: bool) -> None:
    if not VENV_PYTHON.exists():
        log(f"creating {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV_PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    log(f"installing pytm=={PYTM_VERSION} and maturin=={MATURIN_VERSION} from PyPI")
    subprocess.run(pip + [f"pytm=={PYTM_VERSION}", f"maturin=={MATURIN_VERSION}"], check=True)
    profile = [] if debug_binding else ["--release"]
    # A wheel installed into the venv, not `maturin develop`: that installs the package
    # editable, so the extension module it uses is the one in python/, which the next
    # `make test` replaces with a debug build.
    log(f"building the Python package as a wheel (maturin build {' '.join(profile)}) "
        "and installing it into the venv")
    with tempfile.TemporaryDirectory() as wheels:
        subprocess.run([str(VENV / "bin" / "maturin"), "build", "--locked", *profile,
                        "--out", wheels], cwd=ROOT, check=True)
        built = sorted(Path(wheels).glob("*.whl"))
        subprocess.run(pip + ["--force-reinstall", "--no-deps", *map(str, built)], check=True)
    log("cargo build --release: the CLI and the synthetic example")
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "threat-interview-cli"],
                   cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "threat-interview",
                    "--example", "synthetic"], cwd=ROOT, check=True)
    STAMP.write_text("debug\n" if debug_binding else "release\n")


# --------------------------------------------------------------------------------------------
# Workers (run in fresh processes of the venv's Python)


def pytm_worker(path: str, memory_gb: float) -> None:
    """Build the engagement's model in pytm, check it, time resolve(); print JSON on stdout.

    The address space is capped at `memory_gb` (pytm's findings hold a lot: at 200,000
    subjects it passed 18 GB): a MemoryError is reported, not the machine run out of memory.
    """
    import resource

    limit = int(memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    phase = {"name": "build", "start": time.perf_counter()}
    try:
        _pytm_worker(path, phase)
    except BaseException as error:  # MemoryError, or pydantic-core's panic (a BaseException)
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        print(json.dumps({"phase": "failed", "failed_in": phase["name"],
                          "error": f"{type(error).__name__} under a {memory_gb:g} GB cap",
                          "after_s": time.perf_counter() - phase["start"]}), flush=True)


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pytm_worker(path: str, phase: dict) -> None:
    import pytm
    from pytm import TM, Actor, Boundary, Classification, Data, Dataflow, Datastore, Process

    start = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        model = json.load(f)["model"]
    TM.reset()
    tm = TM("synthetic", description="seeded synthetic system")
    boundaries: dict[str, Boundary] = {}
    for b in model.get("boundaries", []):  # parents come before children
        boundary = Boundary(b["id"], description=b.get("name", ""))
        parent = b.get("parent")
        if parent is not None:
            boundary.inBoundary = boundaries[parent]
        boundaries[b["id"]] = boundary
    kinds = {"external_interactor": Actor, "process": Process, "data_store": Datastore}
    elements = {}
    for e in model.get("elements", []):
        props = e.get("properties", {})
        kwargs = {"description": e.get("name", ""), "inScope": not e.get("out_of_scope", False)}
        if e.get("boundary") is not None:
            kwargs["inBoundary"] = boundaries[e["boundary"]]
        element = kinds[e["kind"]](e["id"], **kwargs)
        if props.get("auth_methods"):
            element.controls.authenticatesSource = True
        if props.get("stores_credentials") and isinstance(element, Datastore):
            element.storesSensitiveData = True
        if props.get("internet_facing") and isinstance(element, Process):
            element.controls.validatesInput = True
        elements[e["id"]] = element
    classes = {"public": Classification.PUBLIC, "internal": Classification.RESTRICTED,
               "confidential": Classification.SENSITIVE, "restricted": Classification.SECRET}
    data: dict[tuple[str, str], Data] = {}
    flow_data_items = 0
    for fl in model.get("flows", []):
        items = []
        for d in fl.get("data", []):
            key = (d["name"], d["classification"])
            if key not in data:
                data[key] = Data(d["name"], classification=classes[d["classification"]])
            items.append(data[key])
        flow_data_items += len(items)
        flow = Dataflow(elements[fl["source"]], elements[fl["target"]], fl["id"],
                        protocol=fl.get("protocol") or "", data=items,
                        inScope=not fl.get("out_of_scope", False))
        if fl.get("encrypted") is not None:
            flow.controls.isEncrypted = fl["encrypted"]
        if fl.get("authenticated") is not None:
            flow.controls.authenticatesDestination = fl["authenticated"]
    built = time.perf_counter() - start

    start = time.perf_counter()
    phase.update(name="check", start=start)
    tm.check()
    checked = time.perf_counter() - start
    counts = {
        "elements": len(elements), "flows": len(TM._flows), "boundaries": len(TM._boundaries),
        "data": len(TM._data), "flow_data_items": flow_data_items,
        # resolve() walks TM._elements: elements, flows and boundaries alike.
        "resolved_subjects": len(TM._elements), "rules": len(TM._threats),
    }
    print(json.dumps({"phase": "built", "build_s": built, "check_s": checked, **counts}),
          flush=True)

    start = time.perf_counter()
    phase.update(name="resolve", start=start)
    tm.resolve()
    resolved = time.perf_counter() - start
    print(json.dumps({"phase": "resolved", "resolve_s": resolved,
                      "findings": len(tm.findings), "pytm_peak_rss_mb": peak_rss_mb(),
                      "pytm": pytm.__name__}), flush=True)


def ours_worker(path: str, rounds: int) -> None:
    """Time load, generate, materialise from Python, and the Rust hook; print JSON on stdout."""
    import threat_interview as ti

    def median(call):
        times, result = [], None
        for _ in range(rounds):
            start = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - start)
            del result
            result = None
        return statistics.median(times)

    load = median(lambda: ti.load(path))
    engagement = ti.load(path)
    questions = engagement.generate_questions()
    count = len(questions)
    del questions
    generate = median(engagement.generate_questions)
    # `to_list()` alone, on a fresh generation each round (a list renders its questions when
    # they are read): the generation is timed above, and counted once in the total.
    materialise_times = []
    for _ in range(rounds):
        fresh = engagement.generate_questions()
        start = time.perf_counter()
        listed = fresh.to_list()
        materialise_times.append(time.perf_counter() - start)
        del listed, fresh
    materialise = statistics.median(materialise_times)
    ti._native._time_generate_in_rust(engagement, 1)  # warm up (the bank is parsed once)
    rust_generate = statistics.median(ti._native._time_generate_in_rust(engagement, rounds))
    rust_render = statistics.median(
        ti._native._time_generate_in_rust(engagement, rounds, render=True))
    counts = engagement.counts
    # Rules in effect: the built-in bank's templates and those of the packs the model calls for.
    builtin = json.loads((ROOT / "crates/threat-interview/src/bank/builtin.json").read_text())
    pack_sizes = {p["id"]: p["templates"] for p in ti.packs()}
    active = [u["id"] for u in engagement.packs() if u["active"]]
    templates = len(builtin["templates"]) + sum(pack_sizes[i] for i in active)
    print(json.dumps({
        "load_s": load, "generate_s": generate, "materialise_s": materialise,
        "rust_generate_s": rust_generate, "rust_render_s": rust_render,
        "questions": count, "elements": counts["elements"], "flows": counts["flows"],
        "boundaries": counts["boundaries"], "templates": templates, "packs": active,
    }), flush=True)


# --------------------------------------------------------------------------------------------
# Driver


def run_pytm(path: Path, timeout: float, memory_gb: float) -> dict:
    """pytm in a fresh process; resolve() killed after `timeout` seconds."""
    proc = subprocess.Popen([str(VENV_PYTHON), __file__, "--pytm-worker", str(path),
                             "--pytm-memory-gb", str(memory_gb)],
                            stdout=subprocess.PIPE, text=True)
    result: dict = {}
    built_at = None
    assert proc.stdout is not None
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    build_deadline = time.monotonic() + 4 * timeout  # building is not what is compared
    while True:
        deadline = build_deadline if built_at is None else built_at + timeout
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not sel.select(remaining):
            proc.kill()
            proc.wait()
            result["timed_out"] = "resolve" if built_at is not None else "build"
            result["resolve_s"] = None
            break
        line = proc.stdout.readline()
        if not line:
            proc.wait()
            if "resolve_s" not in result:
                result["resolve_s"] = None
                result.setdefault("error", f"pytm worker exited with {proc.returncode}")
            break
        record = json.loads(line)
        result.update(record)
        if record.get("phase") == "built":
            built_at = time.monotonic()
            log(f"  pytm built: {record}")
    return result


def run_cli(path: Path, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        with open(os.devnull, "w") as null:
            start = time.perf_counter()
            subprocess.run([str(CLI), "questions", str(path), "--format", "json"],
                           stdout=null, check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_ours(path: Path, rounds: int) -> dict:
    out = subprocess.run([str(VENV_PYTHON), __file__, "--ours-worker", str(path),
                          "--rounds", str(rounds)], stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def pytm_seconds(p: dict, timeout: float) -> tuple[float | None, bool]:
    """pytm's resolve() time, and whether it is only a lower bound (killed or out of memory)."""
    if p.get("resolve_s") is not None:
        return p["resolve_s"], False
    if p.get("timed_out") == "resolve":
        return timeout, True
    if p.get("failed_in") == "resolve" and p.get("after_s"):
        return p["after_s"], True
    return None, True


def pytm_cell(r: dict) -> str:
    value, lower = r["pytm_s"], r["pytm_lower_bound"]
    if value is None:
        return f"failed: {r['pytm'].get('error') or r['pytm'].get('timed_out')}"
    if not lower:
        return seconds(value)
    why = "killed" if r["pytm"].get("timed_out") else r["pytm"].get("error", "failed")
    return f"> {seconds(value)} ({why})"


def ratio(r: dict, ours: float, target: float | None) -> str:
    value, lower = r["pytm_s"], r["pytm_lower_bound"]
    if value is None:
        return "n/a"
    x = value / ours
    text = f"{x:.0f}x" if x >= 10 else f"{x:.1f}x"
    if lower:
        text = "> " + text
    if target is None:
        return text
    if x >= target:
        return text + " met"
    return text + (" unknown" if lower else " not met")


def per_pair(total: float | None, pairs: int, lower: bool = False) -> str:
    if total is None or not pairs:
        return "n/a"
    return ("> " if lower else "") + f"{total / pairs * 1e9:.0f} ns"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; "
            f"load average {load:.2f} at start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000,200000",
                        help="subjects (elements + flows), comma-separated")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each of our measures (median); pytm runs once")
    parser.add_argument("--pytm-timeout", type=float, default=600,
                        help="seconds pytm's resolve() may take before it is killed")
    parser.add_argument("--pytm-memory-gb", type=float, default=12,
                        help="address space pytm's process may use (its findings are large)")
    parser.add_argument("--setup", action="store_true", help="redo the venv and the builds")
    parser.add_argument("--debug-binding", action="store_true",
                        help="build the Python package with the dev profile (faster build)")
    parser.add_argument("--json", metavar="OUT", help="also write the raw figures here")
    parser.add_argument("--pytm-worker", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--ours-worker", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.pytm_worker:
        pytm_worker(args.pytm_worker, args.pytm_memory_gb)
        return 0
    if args.ours_worker:
        ours_worker(args.ours_worker, args.rounds)
        return 0

    if args.setup or not STAMP.exists():
        setup(args.debug_binding)
    for binary in (CLI, SYNTHETIC):
        if not binary.exists():
            log(f"{binary} is missing: run with --setup")
            return 1

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    binding = STAMP.read_text().strip()
    print(f"machine: {machine()}")
    print(f"pytm {PYTM_VERSION} (PyPI); threat-interview CLI release build; Python binding "
          f"{binding} build; seed {args.seed}; our figures medians of {args.rounds} runs, "
          f"pytm one run")
    print()
    rows = []
    with tempfile.TemporaryDirectory(prefix="ti-compare-") as directory:
        for subjects in sizes:
            elements = max(1, subjects // 4)
            path = Path(directory) / f"synthetic-{elements}-{args.seed}.json"
            with path.open("w") as out:
                subprocess.run([str(SYNTHETIC), str(elements), str(args.seed)], stdout=out,
                               check=True)
            log(f"[{subjects} subjects] pytm (fresh process, resolve timeout "
                f"{args.pytm_timeout:.0f} s)")
            pytm = run_pytm(path, args.pytm_timeout, args.pytm_memory_gb)
            log(f"[{subjects} subjects] pytm: {pytm}")
            log(f"[{subjects} subjects] CLI")
            cli = run_cli(path, args.rounds)
            log(f"[{subjects} subjects] Python binding and Rust in process")
            ours = run_ours(path, args.rounds)
            log(f"[{subjects} subjects] ours: {ours}; cli {cli:.3f} s")
            rows.append({"subjects": elements + ours["flows"], "file_bytes": path.stat().st_size,
                         "pytm": pytm, "cli_s": cli, "ours": ours})

    t = args.pytm_timeout
    for r in rows:
        r["python_total_s"] = r["ours"]["load_s"] + r["ours"]["generate_s"] + \
            r["ours"]["materialise_s"]
        r["pytm_s"], r["pytm_lower_bound"] = pytm_seconds(r["pytm"], t)
    print("| subjects | elements / flows / boundaries / data items | pytm `resolve()` "
          "| CLI `questions --format json` | Python load + generate + `to_list()` "
          "| Rust `generate` (in process) | Rust generate + render | questions (pytm findings) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        p, o = r["pytm"], r["ours"]
        findings = p.get("findings")
        print(f"| {r['subjects']:,} | {o['elements']:,} / {o['flows']:,} / {o['boundaries']:,} / "
              f"{p.get('flow_data_items', 0):,} | {pytm_cell(r)} "
              f"| {seconds(r['cli_s'])} "
              f"| {seconds(r['python_total_s'])} ({seconds(o['load_s'])} + "
              f"{seconds(o['generate_s'])} + {seconds(o['materialise_s'])}) "
              f"| {seconds(o['rust_generate_s'])} | {seconds(o['rust_render_s'])} "
              f"| {o['questions']:,} ({'n/a' if findings is None else f'{findings:,}'}) |")
    print()
    print("| subjects | pytm / CLI (target >= 100x) | pytm / Python (target >= 30x) "
          "| pytm / Rust generate | pytm per (subject, rule) | CLI per (subject, template) "
          "| Python per (subject, template) | Rust generate per (subject, template) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        p, o = r["pytm"], r["ours"]
        pytm_pairs = p["resolved_subjects"] * p["rules"] if "rules" in p else 0
        ours_pairs = r["subjects"] * o["templates"]
        print(f"| {r['subjects']:,} | {ratio(r, r['cli_s'], 100)} "
              f"| {ratio(r, r['python_total_s'], 30)} "
              f"| {ratio(r, o['rust_generate_s'], None)} "
              f"| {per_pair(r['pytm_s'], pytm_pairs, r['pytm_lower_bound'])} "
              f"| {per_pair(r['cli_s'], ours_pairs)} "
              f"| {per_pair(r['python_total_s'], ours_pairs)} "
              f"| {per_pair(o['rust_generate_s'], ours_pairs)} |")
    print()
    for r in rows:
        p, o = r["pytm"], r["ours"]
        line = (f"{r['subjects']:,} subjects: pytm built the model in {p.get('build_s', 0):.2f} s, "
                f"check() {p.get('check_s', 0):.2f} s; resolve() walks "
                f"{p.get('resolved_subjects')} subjects (boundaries included) x {p.get('rules')} "
                f"rules")
        if p.get("pytm_peak_rss_mb"):
            line += f", peak RSS {p['pytm_peak_rss_mb']:,.0f} MB"
        if p.get("timed_out"):
            line += f"; killed after {t:.0f} s ({p['timed_out']})"
        if p.get("error"):
            line += f"; failed in {p.get('failed_in', '?')}: {p['error']}"
            if p.get("after_s"):
                line += f" after {p['after_s']:.1f} s"
        line += (f". Ours: {o['templates']} templates (built-in bank + packs "
                 f"{', '.join(o['packs']) or 'none'}), file {r['file_bytes'] / 1e6:.1f} MB.")
        print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
