#!/usr/bin/python3
"""hlsim report: plots and an HTML page from an hlsim results file (one run, several, or a sweep).

Usage: report.py RESULTS.h5 [-o DIR] [-q]        (normally run as `hlsim report RESULTS.h5 -o DIR`)

Writes into DIR (created if needed; default ./report): each plot as PNG and SVG, figures.csv (one
row per run with its key figures) and index.html, which shows them with captions. Plots whose data
the file lacks are skipped with a note on the page. Files of the same names are overwritten; other
files in DIR are left alone.

Exit status: 0 written; 2 bad input (the results file is missing or not an hlsim results file, the
output directory cannot be created or written; one line on stderr naming it); 1 any other failure
(a missing Python package, a plot that failed: the page is still written with the others);
130 interrupted.

Needs the Debian packages python3-h5py, python3-pandas, python3-numpy and python3-matplotlib.
"""
import argparse
import importlib
import importlib.util
import os
import sys
import tempfile
import traceback

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130

# (module, Debian package) of every third-party module the report imports.
REQUIRED = (("numpy", "python3-numpy"), ("h5py", "python3-h5py"), ("pandas", "python3-pandas"),
            ("matplotlib", "python3-matplotlib"))


def error(message):
    print(f"hlsim: error: {message}", file=sys.stderr)


def missing_packages():
    """Debian packages of REQUIRED whose module is not installed (a cheap look-up, no import)."""
    return [(package, f"no module named {module}") for module, package in REQUIRED
            if importlib.util.find_spec(module) is None]


def broken_packages():
    """Debian packages of REQUIRED whose module is installed but does not import, with the error.
    Called after an import failed, to name the package behind it."""
    broken = []
    for module, package in REQUIRED:
        try:
            importlib.import_module(module)
        except Exception as e:  # a broken install fails in many ways; all mean "reinstall it"
            broken.append((package, str(e) or type(e).__name__))
    return broken


def package_error(packages):
    """The one-line error naming the Debian packages to install, from [(package, reason)]."""
    names = " ".join(p for p, _ in packages)
    reasons = "; ".join(f"{p}: {why}" for p, why in packages)
    error(f"report needs the Debian package(s) {names} for /usr/bin/python3 "
          f"(install: apt install {names}) [{reasons}]")


def prepare_output(outdir):
    """Creates outdir and checks a file can be written in it; returns an error text or None."""
    if os.path.exists(outdir) and not os.path.isdir(outdir):
        return f"{outdir}: exists and is not a directory (the report needs a directory)"
    try:
        os.makedirs(outdir, exist_ok=True)
        with tempfile.TemporaryFile(dir=outdir):
            pass
    except OSError as e:
        return f"{outdir}: cannot write the report there ({e.strerror or e})"
    return None


def write_text(path, text):
    """Writes text under a temporary name, then renames it: a reader never sees half a file."""
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="hlsim report",
        description="Plots (PNG and SVG) and an index.html from an hlsim results file.")
    parser.add_argument("results", help="results file (.h5) of hlsim run or hlsim sweep")
    parser.add_argument("-o", "--output", default="report",
                        help="output directory, created if needed (default: report)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    parser.add_argument("--traceback", action="store_true",
                        help="print the Python traceback of a failure (for bug reports)")
    return parser.parse_args(argv)


def generate(args):
    """Writes the report; returns the exit status."""
    import hlsim_results  # numpy, h5py, pandas

    try:
        results = hlsim_results.open_results(args.results)
    except hlsim_results.ResultsError as e:
        error(str(e))
        return EXIT_BAD_INPUT
    with results:
        # matplotlib only now, so a bad results file is reported without waiting for it to load;
        # before the output directory is made, so a failing import leaves nothing behind.
        import report_html
        import report_plots

        problem = prepare_output(args.output)
        if problem:
            error(problem)
            return EXIT_BAD_INPUT
        plots, failures = [], []
        for draw in report_plots.PLOTS:
            try:
                made = draw(results, args.output)
            except Exception as e:  # one broken plot must not cost the reader the others
                name = draw.__name__.removeprefix("plot_")
                failures.append(f"{name}: {type(e).__name__}: {e}")
                if args.traceback:
                    traceback.print_exc()
                made = report_plots.Plot(name, name.replace("_", " ").capitalize(),
                                         skipped=f"drawing it failed ({type(e).__name__}: {e})")
            plots += made if isinstance(made, list) else [made]
        figures = hlsim_results.key_figures(results)
        csv_name = "figures.csv"
        write_text(os.path.join(args.output, csv_name), figures.to_csv(index=False))
        page = report_html.render(results, args.results, plots, figures, csv_name)
        index = os.path.join(args.output, "index.html")
        write_text(index, page)
    drawn = [p.key for p in plots if not p.skipped]
    skipped = [p.key for p in plots if p.skipped]
    if failures:
        error(f"report: {len(failures)} plot(s) failed ({'; '.join(failures)}); "
              f"the others are in {index}")
        return EXIT_FAILED
    if not args.quiet:
        print(f"report: {index}: {len(drawn)} plot(s) ({', '.join(drawn) or 'none'})"
              + (f", skipped: {', '.join(skipped)} (reasons on the page)" if skipped else ""))
    return EXIT_OK


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    missing = missing_packages()
    if missing:
        package_error(missing)
        return EXIT_FAILED
    # The report's own modules live beside this script.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        return generate(args)
    except ImportError as e:
        broken = broken_packages()
        if broken:
            package_error(broken)
        else:
            error(f"report: {e}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        error("report: interrupted")
        return EXIT_INTERRUPTED
    except Exception as e:
        error(f"report: {type(e).__name__}: {e} (rerun with --traceback for details)")
        if args.traceback:
            traceback.print_exc()
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
