#!/usr/bin/python3
# bench-scipy-loadmat.py
#
# The yardstick for tools/impasto-loadbench: how long scipy.io.loadmat takes to read a whole
# MatConvNet .mat (the median of several runs, after one read of the file so that every run starts
# from a warm page cache, as impasto-loadbench's do), and the process's peak RSS. Run it with the
# system Python, which has scipy:
#
#   /usr/bin/python3 tools/bench-scipy-loadmat.py [--runs N] FILE.mat
#
# It measures only; it does not check what it read beyond finding the `layers` variable.
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import os
import resource
import statistics
import sys
import time

import scipy
import scipy.io


def warm_up(path):
    with open(path, 'rb') as f:
        while f.read(1 << 20):
            pass


def main():
    parser = argparse.ArgumentParser(description='Time scipy.io.loadmat on a .mat file.')
    parser.add_argument('--runs', type=int, default=3, help='runs to take the median of')
    parser.add_argument('path', help='the .mat file')
    args = parser.parse_args()

    size = os.path.getsize(args.path)
    with open('/proc/loadavg') as f:
        load = f.read().strip()
    print(f'{args.path}: {size / 1e6:.1f} MB, scipy {scipy.__version__}')
    print(f'load average before: {load}')
    warm_up(args.path)

    times = []
    for _ in range(max(1, args.runs)):
        t0 = time.monotonic()
        data = scipy.io.loadmat(args.path)
        times.append(time.monotonic() - t0)
        if 'layers' not in data:
            sys.exit(f'{args.path}: no `layers` variable')
        del data

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'  scipy.io.loadmat {statistics.median(times):7.3f} s  (median of {len(times)}, '
          f'{min(times):.3f} ... {max(times):.3f})  peak RSS {peak:6.0f} MiB')
    with open('/proc/loadavg') as f:
        print(f'load average after: {f.read().strip()}')


if __name__ == '__main__':
    main()
