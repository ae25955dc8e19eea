# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make compare`'s script end to end in its smoke size (benchmarks/compare.py --quick --rounds 1,
launch.yml on this machine, a few minutes): one table with every comparison, each row a ratio
of two measured figures or the reason it has none; and the README's table replaced between its
markers, a second replace with the same table changing nothing."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCHMARKS = os.path.join(REPO, 'benchmarks')


def _load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(BENCHMARKS, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, BENCHMARKS)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(BENCHMARKS)
    return module


def _numeric(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def _has_numpy():
    return subprocess.run([sys.executable, '-c', 'import numpy'], capture_output=True, check=False).returncode == 0


def test_quick_compare_prints_every_comparison_with_a_ratio_or_a_reason(tmp_path, mirror):
    compare = _load('compare')
    table_md, rows_json = tmp_path / 'compare.md', tmp_path / 'compare.json'
    proc = subprocess.run([sys.executable, os.path.join(BENCHMARKS, 'compare.py'), '--quick', '--rounds', '1',
                           '--markdown', str(table_md), '--json', str(rows_json)],
                          cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    found = json.loads(rows_json.read_text())
    rows = found['rows']
    assert found['header'] == compare.HEADER

    # Every comparison is in the table, in the table's order, none twice under one name.
    families = [entry['family'] for entry in rows]
    assert sorted(set(families), key=compare.FAMILIES.index) == list(compare.FAMILIES)
    assert families == sorted(families, key=compare.FAMILIES.index)
    assert len({entry['comparison'] for entry in rows}) == len(rows)

    by_family = {}
    for entry in rows:
        cells = entry['cells']
        by_family.setdefault(entry['family'], []).append(entry)
        if entry['reason']:
            # No figure: the row says why, and claims no goal met.
            assert cells[3] == '-' and cells[-1] == 'no: %s' % entry['reason'], cells
        else:
            # A figure: the median of per-round ratios of two measured, positive sides.
            assert len(entry['num']) == 1 and entry['num'][0] > 0 and all(value > 0 for value in entry['den'])
            ratio = entry['num'][0] / entry['den'][0]
            assert _numeric(cells[3]) and abs(float(cells[3]) - ratio) <= 0.0005 + 1e-9 * ratio, (cells, ratio)
            assert cells[-1] == (('yes' if float(cells[3]) >= entry['goal'] else 'no') if entry['goal'] else '-')
        # Every row's name is in the printed table and in the Markdown.
        assert entry['comparison'] in proc.stdout
        assert '| %s |' % entry['comparison'] in table_md.read_text()

    measured = dict((family, [e for e in entries if not e['reason']]) for family, entries in by_family.items())
    # What this machine always has (the collection's own benchmarks): measured, with the goals.
    for family in ('STREAM standard vs best flag variant', 'HPL vs DGEMM', 'FFTW default vs patient'):
        assert measured[family], by_family[family]
    assert [e['goal'] for e in measured['HPL vs DGEMM']] == [0.92]
    assert all(e['goal'] == 0.95 for e in measured['FFTW default vs patient'])
    # The quick run leaves out the no-SIMD FFTW build, and says so.
    assert [e['reason'] for e in by_family['FFTW SIMD vs no-SIMD']] == [
        'left out of --quick: the no-SIMD build takes minutes']
    # The independent tools: measured where installed, otherwise a reason naming what to install.
    has_likwid = shutil.which('likwid-bench') is not None
    for family in ('STREAM tuned vs likwid-bench', 'BLAS 1 vs likwid-bench'):
        if has_likwid:
            assert measured[family], by_family[family]
        else:
            assert 'install_system_deps.sh --compare' in by_family[family][0]['reason']
    if has_likwid:
        # DAXPY and DDOT at every level vector_ops runs (L1, L2 on one thread; DRAM on one and all).
        names = [e['comparison'] for e in measured['BLAS 1 vs likwid-bench']]
        assert any('DAXPY L1' in name for name in names) and any('DDOT DRAM' in name for name in names), names
    if _has_numpy():
        kernels = [e['comparison'].split(',')[0] for e in measured['GEMM vs numpy']]
        assert sorted(set(kernels)) == ['GEMM DGEMM', 'GEMM SGEMM'], by_family['GEMM vs numpy']
    else:
        assert 'benchmarks/requirements.txt' in by_family['GEMM vs numpy'][0]['reason']
    # Latency: in cycles against the published figure for this CPU's uarch, when the data file has it.
    with open(compare.LOAD_TO_USE) as handle:
        published = yaml.safe_load(handle)
    latency = by_family['latency vs published cycles']
    uarch = [e['comparison'].split(', ')[1] for e in latency if ', ' in e['comparison']]
    if uarch and uarch[0] in published:
        assert sorted(e['comparison'] for e in measured['latency vs published cycles']) == [
            'latency L1, %s' % uarch[0], 'latency L2, %s' % uarch[0]]
        for entry in measured['latency vs published cycles']:
            level = entry['comparison'].split(',')[0].split()[1].lower()
            assert entry['den'] == [published[uarch[0]][level]] and entry['unit'] == 'cycles'
    else:
        assert 'load_to_use_cycles.yml' in latency[0]['reason']


def test_readme_table_replace_is_idempotent_and_leaves_the_rest(tmp_path):
    measurements = _load('readme_measurements')
    readme = tmp_path / 'README.md'
    shutil.copy(os.path.join(REPO, 'README.md'), str(readme))
    original = readme.read_text()
    table = tmp_path / 'compare.md'
    table.write_text('`make compare`, a run.\n\n| comparison | ratio |\n|---|---|\n| STREAM | 1.000 |\n')
    script = os.path.join(BENCHMARKS, 'readme_measurements.py')

    def replace():
        proc = subprocess.run([sys.executable, script, str(table), '--readme', str(readme)], capture_output=True,
                              text=True, check=True)
        return proc.stdout.strip()

    replace()
    first = readme.read_text()
    assert '| STREAM | 1.000 |' in first
    begin, end = first.index(measurements.BEGIN), first.index(measurements.END)
    # Outside the markers nothing moved.
    assert first[:begin] == original[:original.index(measurements.BEGIN)]
    assert first[end:] == original[original.index(measurements.END):]

    assert replace() == '%s: unchanged' % readme
    assert readme.read_text() == first

    table.write_text('| comparison | ratio |\n|---|---|\n| STREAM | 0.990 |\n')
    assert replace() == '%s: table replaced' % readme
    assert '| STREAM | 0.990 |' in readme.read_text() and '| STREAM | 1.000 |' not in readme.read_text()


def test_readme_without_markers_is_refused_naming_them(tmp_path):
    readme, table = tmp_path / 'README.md', tmp_path / 'compare.md'
    readme.write_text('# A README\n\n## Measurements\n')
    table.write_text('| a |\n')
    proc = subprocess.run([sys.executable, os.path.join(BENCHMARKS, 'readme_measurements.py'), str(table),
                           '--readme', str(readme)], capture_output=True, text=True, check=False)
    assert proc.returncode != 0
    assert '<!-- compare:begin -->' in proc.stderr and '<!-- compare:end -->' in proc.stderr
    assert readme.read_text() == '# A README\n\n## Measurements\n'
