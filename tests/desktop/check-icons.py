#!/usr/bin/env python3
# check-icons.py: the app's icons are real, render, and every icon the window names exists.
#
#   check-icons.py SOURCE_ROOT RELEASE_APP_ID
#
# - icons/hicolor/scalable/apps/ID.svg and ID.Devel.svg are 128 × 128 SVGs, and
#   icons/hicolor/symbolic/apps/ID-symbolic.svg is a 16 × 16 SVG in one colour;
# - rsvg-convert renders each at the sizes a desktop shows them (128, 64, 32; the symbolic at 16
#   and 32) into a PNG that is mostly painted, not blank (decoded here, without modules);
# - every icon name in src/app (.ui icon-name properties, *_icon_name () calls, "…-symbolic"
#   literals) is in the Adwaita or hicolor theme on this machine, or in the app's own GResource
#   (src/app/impasto.gresource.xml, under icons/); the theme must be installed for this test.
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

SVG = '{http://www.w3.org/2000/svg}'
THEMES = ['/usr/share/icons/Adwaita', '/usr/share/icons/hicolor']

problems = []


def fail(message):
    problems.append(message)


def png_coverage(path):
    """Fraction of pixels with alpha > 0 in an 8-bit RGBA, non-interlaced PNG."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat, width = 8, b'', 0
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
            if (depth, colour, interlace) != (8, 6, 0):
                raise ValueError(f'unexpected PNG format {depth}/{colour}/{interlace}')
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4
    previous = bytearray(stride)
    painted = 0
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 4] if i >= 4 else 0
            b = previous[i]
            c = previous[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xff
            elif kind == 2:
                line[i] = (line[i] + b) & 0xff
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xff
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xff
        painted += sum(1 for i in range(3, stride, 4) if line[i] > 0)
        previous = line
    return painted / (width * height)


def check_svg(path, size, symbolic, sizes, min_coverage, workdir):
    rel = os.path.relpath(path)
    if not os.path.exists(path):
        fail(f'{rel} is missing')
        return
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(f'{rel} does not parse: {e}')
        return
    if root.tag != SVG + 'svg':
        fail(f'{rel} is not an SVG')
        return
    for attr in ('width', 'height'):
        if root.get(attr, '').replace('px', '') != str(size):
            fail(f'{rel}: {attr} is {root.get(attr)!r}, want {size}')
    if root.get('viewBox', '').split() != ['0', '0', str(size), str(size)]:
        fail(f'{rel}: viewBox is {root.get("viewBox")!r}, want 0 0 {size} {size}')
    if symbolic:
        colours = set()
        for element in root.iter():
            for attr in ('fill', 'stroke'):
                value = element.get(attr)
                if value and value != 'none':
                    colours.add(value.lower())
        if len(colours) != 1:
            fail(f'{rel}: a symbolic icon has one colour, this one has {sorted(colours)}')
    for px in sizes:
        png = os.path.join(workdir, f'{os.path.basename(path)}-{px}.png')
        run = subprocess.run(['rsvg-convert', '--width', str(px), '--height', str(px),
                              '--output', png, path], capture_output=True, text=True)
        if run.returncode != 0:
            fail(f'{rel} does not render at {px} px: {run.stderr.strip()}')
            continue
        coverage = png_coverage(png)
        if coverage < min_coverage:
            fail(f'{rel} at {px} px paints {coverage:.0%} of its square, '
                 f'less than {min_coverage:.0%}: blank or tiny')


def icon_names_in_app(root):
    names = {}
    app = os.path.join(root, 'src', 'app')
    for dirpath, _, filenames in os.walk(app):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if name.endswith('.ui'):
                for element in ET.parse(path).getroot().iter('property'):
                    if element.get('name') in ('icon-name', 'icon_name', 'start-icon-name',
                                               'end-icon-name', 'from-icon-name'):
                        names.setdefault((element.text or '').strip(), os.path.relpath(path, root))
            elif name.endswith('.c'):
                with open(path, encoding='utf-8') as f:
                    text = f.read()
                for m in re.finditer(r'icon_name\s*\([^;]*?"([\w.-]+)"', text):
                    names.setdefault(m.group(1), os.path.relpath(path, root))
                for m in re.finditer(r'"([\w.-]+-symbolic)"', text):
                    names.setdefault(m.group(1), os.path.relpath(path, root))
    names.pop('', None)
    return names


def resource_icons(root):
    found = set()
    gresource = os.path.join(root, 'src', 'app', 'impasto.gresource.xml')
    for element in ET.parse(gresource).getroot().iter('file'):
        path = element.get('alias') or element.text or ''
        if '/icons/' in '/' + path:
            found.add(os.path.splitext(os.path.basename(path))[0])
    return found


def theme_has(name):
    for theme in THEMES:
        for dirpath, _, filenames in os.walk(theme):
            for suffix in ('.svg', '.png', '.symbolic.png'):
                if name + suffix in filenames:
                    return True
    return False


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: check-icons.py SOURCE_ROOT RELEASE_APP_ID')
    root, app_id = sys.argv[1:]
    os.chdir(root)
    if shutil.which('rsvg-convert') is None:
        fail('rsvg-convert is not installed (librsvg2-bin): the icons cannot be rendered')
    with tempfile.TemporaryDirectory() as workdir:
        if not problems:
            for ident in (app_id, app_id + '.Devel'):
                check_svg(os.path.join('icons', 'hicolor', 'scalable', 'apps', f'{ident}.svg'),
                          128, False, (128, 64, 32), 0.45, workdir)
            check_svg(os.path.join('icons', 'hicolor', 'symbolic', 'apps',
                                   f'{app_id}-symbolic.svg'),
                      16, True, (16, 32), 0.25, workdir)

    if not os.path.isdir(THEMES[0]):
        fail(f'{THEMES[0]} is not installed (adwaita-icon-theme): cannot check the icon names')
    else:
        own = resource_icons(root)
        for name, where in sorted(icon_names_in_app(root).items()):
            if name not in own and not theme_has(name):
                fail(f'{where}: icon {name!r} is in neither the Adwaita theme nor the app\'s '
                     'GResource: draw it into icons/ and add it to impasto.gresource.xml')

    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} problem(s)')
        return 1
    print('ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
