# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Put compare.py's Markdown table into README.md, between its two marker comments.

Everything between `<!-- compare:begin -->` and `<!-- compare:end -->` is replaced; the rest of
the README is left as it is, so running it twice with the same table changes nothing.
Usage (`make compare-readme` after `make compare`):

    python benchmarks/readme_measurements.py .cache/compare.md [--readme README.md]
"""

import argparse
import os
import sys

BEGIN = '<!-- compare:begin -->'
END = '<!-- compare:end -->'


def replace_block(text, block):
    """`text` with what lies between BEGIN and END replaced by `block`; ValueError naming the fix when
    the markers are not there once each, in that order."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ValueError('the README needs exactly one %s line followed by one %s line where the table goes'
                         % (BEGIN, END))
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    return '%s%s\n%s\n%s%s' % (head, BEGIN, block.strip('\n'), END, tail)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('markdown', help="compare.py's --markdown file")
    parser.add_argument('--readme', default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                         'README.md'))
    args = parser.parse_args()
    with open(args.markdown) as handle:
        block = handle.read()
    with open(args.readme) as handle:
        text = handle.read()
    try:
        updated = replace_block(text, block)
    except ValueError as error:
        sys.exit('%s: %s' % (args.readme, error))
    if updated == text:
        print('%s: unchanged' % args.readme)
        return
    with open(args.readme, 'w') as handle:
        handle.write(updated)
    print('%s: table replaced' % args.readme)


if __name__ == '__main__':
    main()
