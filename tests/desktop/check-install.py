#!/usr/bin/env python3
# check-install.py: `meson install` into a temporary DESTDIR lays out what a desktop expects.
#
#   check-install.py BUILD_ROOT APP_ID LINGUAS_FILE
#
# Installs the build (without rebuilding) under a fresh DESTDIR and checks, below the prefix:
# bin/impasto and bin/impasto-cli (executables; the installed impasto-cli --version runs and
# prints the version); the desktop entry, metainfo and D-Bus service named after the application
# id, with the right Exec, Icon and id inside, translated for every language in po/LINGUAS, and
# still valid (desktop-file-validate, appstreamcli validate --no-net); the scalable and symbolic
# icons in hicolor; the GSettings schema, which compiles with glib-compile-schemas --strict; and a
# message catalogue per language with as many messages as its .po. Nothing outside the prefix
# is installed.
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

import configparser
import json
import os
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

problems = []


def fail(message):
    problems.append(message)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def mo_count(path):
    with open(path, 'rb') as f:
        header = f.read(12)
    magic, _, count = struct.unpack('<III', header)
    if magic != 0x950412de:
        magic, _, count = struct.unpack('>III', header)
    return count - 1  # the header entry


def po_count(path):
    """Translated messages in a .po, as msgfmt counts them."""
    stats = run(['msgfmt', '--statistics', '--output-file', os.devnull, path]).stderr
    return int(stats.split()[0]) if stats.split() and stats.split()[0].isdigit() else -1


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: check-install.py BUILD_ROOT APP_ID LINGUAS_FILE')
    build_root, app_id, linguas_file = sys.argv[1:]
    with open(linguas_file, encoding='utf-8') as f:
        linguas = [w for l in f if not l.lstrip().startswith('#') for w in l.split()]
    po_dir = os.path.dirname(os.path.abspath(linguas_file))

    options = {o['name']: o['value'] for o in
               json.loads(run(['meson', 'introspect', '--buildoptions', build_root]).stdout)}
    prefix = options['prefix']
    version = json.loads(run(['meson', 'introspect', '--projectinfo', build_root]).stdout)['version']

    with tempfile.TemporaryDirectory(prefix='impasto-install-') as destdir:
        env = dict(os.environ, DESTDIR=destdir)
        installed = run(['meson', 'install', '-C', build_root, '--no-rebuild', '--quiet'], env=env)
        if installed.returncode != 0:
            print(f'meson install failed:\n{installed.stdout}{installed.stderr}')
            return 1
        root = destdir + prefix

        def path(*parts):
            return os.path.join(root, *parts)

        def need(rel, executable=False):
            p = path(rel)
            if not os.path.isfile(p):
                fail(f'{prefix}/{rel} is not installed')
                return None
            if executable and not os.access(p, os.X_OK):
                fail(f'{prefix}/{rel} is not executable')
            return p

        # Everything lands below the prefix.
        for dirpath, _, filenames in os.walk(destdir):
            for name in filenames:
                full = os.path.join(dirpath, name)
                if not full.startswith(root + os.sep):
                    fail(f'{full[len(destdir):]} is installed outside the prefix {prefix}')

        bindir = options.get('bindir', 'bin')
        datadir = options.get('datadir', 'share')
        localedir = options.get('localedir', 'share/locale')
        need(os.path.join(bindir, 'impasto'), executable=True)
        cli = need(os.path.join(bindir, 'impasto-cli'), executable=True)
        if cli:
            out = run([cli, '--version'])
            if out.returncode != 0 or version not in out.stdout:
                fail(f'installed impasto-cli --version: exit {out.returncode}, '
                     f'output {out.stdout.strip()!r}{out.stderr.strip()!r}; want {version}')
            else:
                print(f'installed impasto-cli --version: {out.stdout.strip()}')

        desktop = need(os.path.join(datadir, 'applications', f'{app_id}.desktop'))
        if desktop:
            entry = configparser.RawConfigParser(strict=False, interpolation=None)
            entry.optionxform = str
            entry.read(desktop, encoding='utf-8')
            section = entry['Desktop Entry']
            if section.get('Exec') != 'impasto %F':
                fail(f'desktop entry Exec is {section.get("Exec")!r}, want "impasto %F"')
            if section.get('Icon') != app_id:
                fail(f'desktop entry Icon is {section.get("Icon")!r}, want {app_id!r}')
            mime = set(filter(None, section.get('MimeType', '').split(';')))
            if not {'image/jpeg', 'image/png', 'image/webp'} <= mime:
                fail(f'desktop entry MimeType is {sorted(mime)}')
            for lang in linguas:
                if f'Comment[{lang}]' not in section:
                    fail(f'desktop entry has no Comment[{lang}]: translations were not merged')
            check = run(['desktop-file-validate', desktop])
            if check.returncode != 0 or check.stdout.strip():
                fail(f'installed desktop entry: {check.stdout}{check.stderr}')

        metainfo = need(os.path.join(datadir, 'metainfo', f'{app_id}.metainfo.xml'))
        if metainfo:
            component = ET.parse(metainfo).getroot()
            if component.findtext('id') != app_id:
                fail(f'metainfo id is {component.findtext("id")!r}, want {app_id!r}')
            if component.findtext('launchable') != f'{app_id}.desktop':
                fail(f'metainfo launchable is {component.findtext("launchable")!r}')
            langs = {s.get('{http://www.w3.org/XML/1998/namespace}lang')
                     for s in component.findall('summary')}
            for lang in linguas:
                if lang not in langs:
                    fail(f'metainfo has no summary in {lang}: translations were not merged')
            check = run(['appstreamcli', 'validate', '--no-net', metainfo])
            if check.returncode != 0:
                fail(f'installed metainfo: {check.stdout}{check.stderr}')

        service = need(os.path.join(datadir, 'dbus-1', 'services', f'{app_id}.service'))
        if service:
            parsed = configparser.RawConfigParser(interpolation=None)
            parsed.optionxform = str
            parsed.read(service, encoding='utf-8')
            section = parsed['D-BUS Service']
            want = os.path.join(prefix, bindir, 'impasto') + ' --gapplication-service'
            if section.get('Name') != app_id or section.get('Exec') != want:
                fail(f'D-Bus service: Name={section.get("Name")!r} Exec={section.get("Exec")!r};'
                     f' want {app_id!r} and {want!r}')

        need(os.path.join(datadir, 'icons', 'hicolor', 'scalable', 'apps', f'{app_id}.svg'))
        need(os.path.join(datadir, 'icons', 'hicolor', 'symbolic', 'apps',
                          f'{app_id}-symbolic.svg'))

        schemas = os.path.join(datadir, 'glib-2.0', 'schemas')
        if need(os.path.join(schemas, 'org.impasto.Impasto.gschema.xml')):
            check = run(['glib-compile-schemas', '--strict', '--dry-run', path(schemas)])
            if check.returncode != 0:
                fail(f'installed schema does not compile: {check.stderr}')

        for lang in linguas:
            mo = need(os.path.join(localedir, lang, 'LC_MESSAGES', 'impasto.mo'))
            if mo:
                got, want = mo_count(mo), po_count(os.path.join(po_dir, f'{lang}.po'))
                if got != want:
                    fail(f'{lang}: impasto.mo holds {got} messages, {lang}.po {want}')

        print(f'installed tree under DESTDIR={destdir}:')
        for dirpath, _, filenames in sorted(os.walk(root)):
            for name in sorted(filenames):
                print('  ' + os.path.join(dirpath, name)[len(destdir):])

    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} problem(s)')
        return 1
    print('ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
