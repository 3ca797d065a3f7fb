#!/usr/bin/env python3
# check-flatpak.py: what can be checked of flatpak/org.impasto.Impasto.json without a Flatpak
# runtime or the network (flatpak-builder itself cannot run here):
#
#   check-flatpak.py MANIFEST SOURCE_ROOT BUILD_ROOT RELEASE_APP_ID
#
# - it parses as JSON and names org.gnome.Platform / org.gnome.Sdk 50;
# - its id is the release application id of meson.build, its command a binary meson installs
#   into bindir, and the desktop entry, metainfo and icons meson installs carry that id (so no
#   rename-* is needed, and none is used);
# - finish-args are exactly wayland, fallback-x11, ipc, dri and network: no --filesystem, no
#   session bus, no plain x11;
# - every source is pinned: git by tag and a 40-hex commit, archives and files by sha256, local
#   dirs and patches exist in the tree;
# - OpenBLAS builds with DYNAMIC_ARCH=1 and without INTERFACE64; matio with zlib, without HDF5
#   and MAT 7.3; the app module builds with meson, as the README does, with no options changed.
#
# Standard library only.
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import subprocess
import sys

REQUIRED_FINISH_ARGS = [
    '--socket=wayland', '--socket=fallback-x11', '--share=ipc', '--device=dri', '--share=network',
]

problems = []


def fail(message):
    problems.append(message)


def modules_of(node):
    for module in node.get('modules', []):
        if isinstance(module, str):
            fail(f'module "{module}" is a separate file; keep the manifest in one file so this '
                 'test sees every source')
            continue
        yield module
        yield from modules_of(module)


def command_words(module):
    words = []
    for key in ('build-commands', 'post-install', 'config-opts', 'make-args',
                'make-install-args'):
        for command in module.get(key, []):
            words += command.split()
    env = module.get('build-options', {}).get('env', {})
    items = env.items() if isinstance(env, dict) else []
    words += [f'{k}={v}' for k, v in items]
    return words


def check_source(module, source, manifest_dir):
    name = module.get('name', '?')
    kind = source.get('type')
    if kind == 'git':
        if not source.get('tag'):
            fail(f'{name}: git source {source.get("url")} has no tag')
        if not re.fullmatch(r'[0-9a-f]{40}', source.get('commit', '')):
            fail(f'{name}: git source {source.get("url")} is not pinned to a 40-hex commit')
        if 'branch' in source:
            fail(f'{name}: git source follows a branch')
        if not source.get('url', '').startswith('https://'):
            fail(f'{name}: git source is not fetched over https')
    elif kind in ('archive', 'file'):
        if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
            fail(f'{name}: {kind} {source.get("url", source.get("path"))} has no sha256 '
                 '(Flathub rejects md5 and sha1)')
    elif kind in ('dir', 'patch'):
        paths = [source['path']] if 'path' in source else source.get('paths', [])
        if not paths:
            fail(f'{name}: {kind} source without a path')
        for path in paths:
            if not os.path.exists(os.path.join(manifest_dir, path)):
                fail(f'{name}: {kind} source {path} does not exist')
    else:
        fail(f'{name}: source type {kind!r} is not one this test knows how to check for pinning')


def installed_files(build_root):
    run = subprocess.run(['meson', 'introspect', '--installed', build_root],
                         capture_output=True, text=True)
    if run.returncode != 0:
        fail(f'meson introspect --installed failed: {run.stderr.strip()}')
        return [], {}
    installed = sorted(set(json.loads(run.stdout).values()))
    run = subprocess.run(['meson', 'introspect', '--buildoptions', build_root],
                         capture_output=True, text=True)
    options = {o['name']: o['value'] for o in json.loads(run.stdout)}
    return installed, options


def main():
    if len(sys.argv) != 5:
        sys.exit('usage: check-flatpak.py MANIFEST SOURCE_ROOT BUILD_ROOT RELEASE_APP_ID')
    manifest_path, source_root, build_root, release_id = sys.argv[1:]
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))

    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f'{manifest_path}: does not parse: {e}')
        return 1

    app_id = manifest.get('id', manifest.get('app-id'))
    if app_id != release_id:
        fail(f'id is {app_id!r}, meson.build says {release_id!r}')
    if os.path.basename(manifest_path) != f'{release_id}.json':
        fail(f'the manifest should be named {release_id}.json')
    for key, want in (('runtime', 'org.gnome.Platform'), ('sdk', 'org.gnome.Sdk'),
                      ('runtime-version', '50')):
        if manifest.get(key) != want:
            fail(f'{key} is {manifest.get(key)!r}, want {want!r}')
    for key in ('rename-desktop-file', 'rename-icon', 'rename-appdata-file'):
        if key in manifest:
            fail(f'{key} is set: the files meson installs should already carry the id')

    finish_args = manifest.get('finish-args', [])
    if sorted(finish_args) != sorted(REQUIRED_FINISH_ARGS):
        fail(f'finish-args are {finish_args}, want exactly {REQUIRED_FINISH_ARGS}')
    for arg in finish_args:
        if arg.startswith('--filesystem') or arg in ('--socket=x11', '--socket=session-bus',
                                                     '--socket=system-bus'):
            fail(f'finish-args grant {arg}; file choosers and drops go through portals')

    # What meson installs, from the build this test runs in.
    installed, options = installed_files(build_root)
    prefix = options.get('prefix', '/usr/local')
    bindir = os.path.join(prefix, options.get('bindir', 'bin'))
    datadir = os.path.join(prefix, options.get('datadir', 'share'))
    build_id = release_id + ('.Devel' if options.get('development') else '')
    command = manifest.get('command')
    if os.path.join(bindir, command or '') not in installed:
        fail(f'command {command!r} is not a binary meson installs into {bindir}')
    expected = [
        os.path.join(datadir, 'applications', f'{build_id}.desktop'),
        os.path.join(datadir, 'metainfo', f'{build_id}.metainfo.xml'),
        os.path.join(datadir, 'icons', 'hicolor', 'scalable', 'apps', f'{build_id}.svg'),
        os.path.join(datadir, 'icons', 'hicolor', 'symbolic', 'apps', f'{build_id}-symbolic.svg'),
        os.path.join(datadir, 'dbus-1', 'services', f'{build_id}.service'),
    ]
    for path in expected:
        if path not in installed:
            fail(f'meson does not install {path}, which Flatpak exports for {build_id}')
    for rel in (f'icons/hicolor/scalable/apps/{release_id}.svg',
                'data/org.impasto.Impasto.desktop.in.in',
                'data/org.impasto.Impasto.metainfo.xml.in.in'):
        if not os.path.exists(os.path.join(source_root, rel)):
            fail(f'{rel} is missing')

    modules = list(modules_of(manifest))
    names = [m.get('name') for m in modules]
    for module in modules:
        if not module.get('sources'):
            fail(f'module {module.get("name")} has no sources')
        for source in module.get('sources', []):
            check_source(module, source, manifest_dir)

    by_name = {m.get('name'): m for m in modules}
    if 'openblas' not in by_name:
        fail('no openblas module (the runtime has no OpenBLAS)')
    else:
        words = command_words(by_name['openblas'])
        if 'DYNAMIC_ARCH=1' not in words:
            fail('openblas is not built with DYNAMIC_ARCH=1')
        if any(w.startswith('INTERFACE64=') and w != 'INTERFACE64=0' for w in words):
            fail('openblas is built with INTERFACE64 (the engine uses 32-bit BLAS ints)')
    if 'matio' not in by_name:
        fail('no matio module (the runtime has no matio)')
    else:
        words = command_words(by_name['matio'])
        for want in ('-DMATIO_WITH_ZLIB=ON', '-DMATIO_WITH_HDF5=OFF', '-DMATIO_MAT73=OFF'):
            if want not in words:
                fail(f'matio is not configured with {want}')
        if not any('matio.pc' in w for w in words):
            fail('matio module does not install matio.pc (meson finds matio with pkg-config)')
    if names and names[-1] != 'impasto':
        fail('the last module should be impasto itself')
    app = by_name.get('impasto', {})
    if app.get('buildsystem') != 'meson':
        fail('the impasto module does not build with meson')
    if any(o.startswith('-Ddevelopment=true') for o in app.get('config-opts', [])):
        fail('the Flatpak builds the release id, not .Devel')
    deps = [names.index(n) for n in ('openblas', 'matio') if n in names]
    if 'impasto' in names and deps and names.index('impasto') < max(deps):
        fail('impasto is built before its dependencies')

    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} problem(s)')
        return 1
    print('ok (parsed and cross-checked; flatpak-builder was not run: no runtime offline)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
