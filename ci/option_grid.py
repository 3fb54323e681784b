#!/usr/bin/env python3
"""How much a composite's numbers depend on its constants (e.g. swap_reg's mu and sigma).

    python3 ci/option_grid.py ZCBENCH RESULTS CONFIG COMPOSITE NAME=V1,V2,... [NAME=...]

For every combination of the given values, recomputes the statistics of CONFIG's runs from the
score files already in RESULTS (no rescoring: a composite is computed from its components'
scores) and prints one line per combination and task: the composite's Spearman rho over all
architectures with its bootstrap interval, and the best other proxy of the run for comparison.
The statistics go to a scratch results root beside RESULTS' raw scores, so RESULTS' own stats
and site are left as they are. Values chosen by reading this table are tuned on the ground
truth: say so wherever such a number is reported.
"""
import itertools
import json
import os
import subprocess
import sys
import tempfile


def parse_grid(arguments):
    grid = []
    for argument in arguments:
        name, sep, values = argument.partition("=")
        if not sep or not name or not values:
            sys.exit(f"option_grid: '{argument}' is not NAME=V1,V2,...")
        try:
            grid.append((name, [float(v) for v in values.split(",")]))
        except ValueError:
            sys.exit(f"option_grid: '{argument}': values must be numbers")
    return grid


def spearman_all(proxy):
    """(estimate, lo, hi) of Spearman over every architecture the proxy scored, or None."""
    stats = (proxy.get("stats_all") or {}).get("stats") or {}
    rho = stats.get("spearman")
    if not rho or rho.get("estimate") is None:
        return None
    return rho["estimate"], rho.get("lo"), rho.get("hi")


def fmt(value):
    if value is None:
        return "       -"
    estimate, lo, hi = value
    if lo is None or hi is None:
        return f"{estimate:.3f}"
    return f"{estimate:.3f} [{lo:.3f}, {hi:.3f}]"


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    zcbench, results, config_path, composite = sys.argv[1:5]
    grid = parse_grid(sys.argv[5:])
    with open(config_path) as f:
        config = json.load(f)
    if not any(composite in run.get("proxies", []) for run in config.get("runs", [])):
        sys.exit(f"option_grid: no run of {config_path} names '{composite}'")
    raw = os.path.join(os.path.abspath(results), "raw")
    if not os.path.isdir(raw):
        sys.exit(f"option_grid: {raw} holds no scores: run `zcbench run` first")
    names = [name for name, _ in grid]
    print("\t".join(names + ["task", composite + " rho_all [95% CI]", "best other proxy"]))
    with tempfile.TemporaryDirectory() as scratch:
        os.symlink(raw, os.path.join(scratch, "raw"))
        for values in itertools.product(*[vals for _, vals in grid]):
            options = config.setdefault("proxy_options", {}).setdefault(composite, {})
            options.update(dict(zip(names, values)))
            grid_config = os.path.join(scratch, "config.json")
            with open(grid_config, "w") as f:
                json.dump(config, f)
            done = subprocess.run([zcbench, "--results", scratch, "stats", "--config", grid_config],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if done.returncode != 0:
                sys.exit(f"option_grid: zcbench stats failed for {options}:\n{done.stderr}")
            for run in config["runs"]:
                if composite not in run["proxies"]:
                    continue
                space_dir = os.path.join(scratch, "stats", run["space"])
                tasks = run.get("tasks") or sorted(
                    name[:-len(".json")] for name in os.listdir(space_dir) if name.endswith(".json"))
                for task in tasks:
                    path = os.path.join(space_dir, task + ".json")
                    with open(path) as f:
                        proxies = {p["name"]: p for p in json.load(f)["proxies"]}
                    others = [(n, spearman_all(p)) for n, p in proxies.items() if n != composite]
                    others = [(n, o) for n, o in others if o is not None]
                    best = max(others, key=lambda o: o[1][0]) if others else None
                    print("\t".join([f"{v:g}" for v in values] +
                                    [f"{run['space']}/{task}", fmt(spearman_all(proxies[composite])),
                                     f"{best[0]} {fmt(best[1])}" if best else "-"]))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
