#!/usr/bin/env python3
# check-i18n.py: fails when a user-facing string in src/ is not translatable, when po/POTFILES.in
# misses (or lists a missing) file with translatable strings, and when a translation in po/ does
# not compile or is incomplete against the current sources.
#
#   check-i18n.py SOURCE_ROOT [--only strings|potfiles|po]
#
# Three checks, each a function below:
#
# strings   C files in src/ (src/engine excepted: it is GLib-free, its English messages are
#           wrapped at the edges) are tokenised. A string literal passed (directly, or through a
#           formatter such as g_strdup_printf) to a call that puts text in front of a person
#           (g_printerr, g_set_error, adw_toast_new, gtk_label_set_text, ...; the argument
#           positions are listed in USER_FACING) must sit inside _(), N_(), C_() or the like
#           whenever it holds a word. Any other literal that reads like a phrase (two or more
#           words) must be marked too, unless it is inside a logging call (g_debug, g_warning,
#           ...) or listed in tests/desktop/i18n-allowlist.txt. .ui files: user-visible
#           properties (label, title, tooltip-text, ...), menu attributes and string list items
#           that hold a word must carry translatable="yes".
# potfiles  xgettext, run with meson's glib preset over every source file that can carry
#           translatable strings, finds the files that do; POTFILES.in must list exactly those
#           (plus files it lists on purpose that xgettext finds nothing in is an error too, so the
#           list stays honest), and every listed file must exist.
# po        Every language in LINGUAS has a .po and the reverse; each compiles with
#           msgfmt --check; none has fuzzy or untranslated entries; and merged with a template
#           made from the sources as they are now, none has fuzzy or untranslated entries either
#           (so new strings fail the test until someone translates them: see README,
#           "Translations").
#
# Uses only the Python standard library and gettext's command line tools.
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

# The keywords and flags of meson's i18n glib preset (mesonbuild/modules/i18n.py), which is what
# po/meson.build uses; keep them in step.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]

# Calls whose string arguments are translated: a literal anywhere inside them is marked.
GETTEXT_CALLS = {
    '_', 'N_', 'C_', 'NC_', 'Q_', 'gettext', 'dgettext', 'dcgettext', 'ngettext', 'dngettext',
    'pgettext', 'g_dgettext', 'g_dcgettext', 'g_dngettext', 'g_dpgettext', 'g_dpgettext2',
}

# Calls whose strings a person never reads (logs, assertions, the test harness): skipped.
QUIET_CALLS = {
    'g_debug', 'g_info', 'g_message', 'g_warning', 'g_critical', 'g_error', 'g_log',
    'g_log_structured', 'g_warn_if_reached', 'g_warn_if_fail', 'g_return_if_fail',
    'g_return_val_if_fail', 'g_return_if_reached', 'g_return_val_if_reached',
    'g_assert', 'g_assert_not_reached', 'g_assert_cmpstr', 'g_assert_cmpint',
    'g_assert_true', 'g_assert_false', 'g_assert_null', 'g_assert_nonnull', 'g_assert_no_error',
    'g_assert_error', 'g_test_message', 'g_test_skip', 'g_test_fail_printf', 'g_test_add_func',
    'g_test_add_data_func', 'G_STRINGIFY', 'G_STRLOC', 'g_log_set_handler',
    'g_object_new', 'g_object_set', 'g_object_get', 'g_signal_connect', 'g_signal_connect_object',
    'g_signal_connect_swapped', 'g_signal_new', 'g_object_notify', 'g_object_bind_property',
    'g_object_bind_property_full', 'g_settings_get_string', 'g_settings_set_string',
    'g_settings_bind', 'g_settings_get_int', 'g_settings_get_double', 'g_settings_get_boolean',
    'g_settings_set_int', 'g_settings_set_double', 'g_settings_set_boolean', 'g_settings_new',
    'gtk_widget_add_css_class', 'gtk_widget_remove_css_class', 'gtk_widget_activate_action',
    'gtk_widget_class_install_action', 'gtk_widget_class_add_binding_action',
    'gtk_stack_set_visible_child_name', 'g_str_equal', 'g_strcmp0', 'strcmp', 'g_getenv',
    'g_setenv', 'g_build_filename', 'g_file_new_for_path', 'g_file_new_for_uri',
    'g_source_set_name', 'g_source_set_static_name', 'g_task_set_name', 'g_task_set_static_name',
    'impasto_latest_slot_set_name',
    'g_thread_new', 'g_thread_try_new', 'g_object_set_data', 'g_object_get_data',
    'g_object_set_data_full', 'g_quark_from_static_string', 'g_quark_from_string',
    'g_content_type_from_mime_type', 'g_file_query_info', 'g_file_enumerate_children',
}

# Calls that show text to a person, with the 0-based argument positions that carry it (None:
# every argument; a callable: decides per position).
USER_FACING = {
    'g_print': {0}, 'g_printerr': {0}, 'g_printf': {0}, 'printf': {0}, 'puts': {0},
    'g_fprintf': {1}, 'fprintf': {1}, 'fputs': {0},
    'g_application_command_line_print': {1}, 'g_application_command_line_printerr': {1},
    'g_set_error': {3}, 'g_set_error_literal': {3}, 'g_error_new': {2},
    'g_error_new_literal': {2}, 'g_prefix_error': {1}, 'g_prefix_error_literal': {1},
    'g_propagate_prefixed_error': {2}, 'g_task_return_new_error': {3},
    'g_set_application_name': {0},
    'g_option_context_new': {0}, 'g_option_context_set_summary': {1},
    'g_option_context_set_description': {1},
    'g_application_set_option_context_parameter_string': {1},
    'g_application_set_option_context_summary': {1},
    'g_application_set_option_context_description': {1},
    'g_notification_new': {0}, 'g_notification_set_body': {1}, 'g_notification_set_title': {1},
    'adw_toast_new': {0}, 'adw_toast_new_format': {0}, 'adw_toast_set_title': {1},
    'adw_toast_set_button_label': {1},
    'gtk_label_new': {0}, 'gtk_label_new_with_mnemonic': {0}, 'gtk_label_set_text': {1},
    'gtk_label_set_label': {1}, 'gtk_label_set_markup': {1},
    'gtk_label_set_text_with_mnemonic': {1}, 'gtk_label_set_markup_with_mnemonic': {1},
    'gtk_button_new_with_label': {0}, 'gtk_button_new_with_mnemonic': {0},
    'gtk_button_set_label': {1}, 'gtk_check_button_new_with_label': {0},
    'gtk_check_button_set_label': {1}, 'gtk_toggle_button_new_with_label': {0},
    'gtk_widget_set_tooltip_text': {1}, 'gtk_widget_set_tooltip_markup': {1},
    'gtk_window_set_title': {1}, 'adw_window_title_new': {0, 1},
    'adw_window_title_set_title': {1}, 'adw_window_title_set_subtitle': {1},
    'adw_status_page_set_title': {1}, 'adw_status_page_set_description': {1},
    'adw_preferences_row_set_title': {1}, 'adw_action_row_set_subtitle': {1},
    'adw_expander_row_set_subtitle': {1}, 'adw_preferences_group_set_title': {1},
    'adw_preferences_group_set_description': {1}, 'adw_preferences_page_set_title': {1},
    'adw_message_dialog_new': {1, 2}, 'adw_message_dialog_set_heading': {1},
    'adw_message_dialog_set_body': {1}, 'adw_message_dialog_format_heading': {1},
    'adw_message_dialog_format_body': {1}, 'adw_message_dialog_add_response': {2},
    # (dialog, id, label, id, label, ..., NULL): the labels.
    'adw_message_dialog_add_responses': lambda i: i >= 2 and i % 2 == 0,
    'adw_message_dialog_set_response_label': {2},
    'adw_alert_dialog_new': {0, 1}, 'adw_alert_dialog_add_response': {2},
    'adw_alert_dialog_add_responses': lambda i: i >= 2 and i % 2 == 0,
    'adw_alert_dialog_set_heading': {1}, 'adw_alert_dialog_set_body': {1},
    'adw_alert_dialog_format_heading': {1}, 'adw_alert_dialog_format_body': {1},
    'gtk_alert_dialog_new': {0}, 'gtk_alert_dialog_set_message': {1},
    'gtk_alert_dialog_set_detail': {1},
    'gtk_file_chooser_native_new': {0, 3, 4}, 'gtk_file_chooser_dialog_new': {0},
    'gtk_file_dialog_set_title': {1}, 'gtk_file_dialog_set_accept_label': {1},
    'gtk_file_filter_set_name': {1}, 'gtk_progress_bar_set_text': {1},
    'gtk_string_list_append': {1}, 'gtk_editable_set_text': {1},
    'gtk_entry_set_placeholder_text': {1}, 'gtk_picture_set_alternative_text': {1},
    'gtk_accessible_update_property': lambda i: i >= 2,
    'g_menu_append': {1}, 'g_menu_item_new': {0}, 'g_menu_append_submenu': {1},
}

# Calls that only pass their text on (a literal inside one is judged by the call around it).
PASS_THROUGH = {
    'g_strdup', 'g_strdup_printf', 'g_strdup_vprintf', 'g_strconcat', 'g_string_printf',
    'g_string_append_printf', 'g_string_append', 'g_string_new', 'g_markup_printf_escaped',
    'g_markup_escape_text', 'keep_together', 'g_strjoin',
}

UI_PROPERTIES = {
    'label', 'title', 'subtitle', 'description', 'tooltip-text', 'tooltip-markup',
    'placeholder', 'placeholder-text', 'text', 'alternative-text', 'secondary-text', 'heading',
    'body', 'button-label', 'accept-label', 'cancel-label', 'comments', 'name', 'accessible-label',
}
UI_ATTRIBUTES = {'label'}

FORMAT_RE = re.compile(r'%(\d+\$)?[-+ #0\']*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|L|q|j|z|t|'
                       r'G_G?[A-Z0-9_]+)?[diouxXeEfFgGaAcspn%]|%"\s*G_G[A-Z0-9_]+\s*"')
WORD_RE = re.compile(r"[^\W\d_]{2,}")


def words_in(text):
    return WORD_RE.findall(FORMAT_RE.sub('0', text))


def is_phrase(text):
    """Two or more words with a space between them: prose, not a key, path or format."""
    stripped = FORMAT_RE.sub('0', text).strip()
    return len(words_in(stripped)) >= 2 and re.search(r'[^\W\d_]\S*\s+\S*[^\W\d_]', stripped)


# -- C tokenising --------------------------------------------------------------------------------

TOKEN_RE = re.compile(r'''
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<pp>^[ \t]*\#(?:[^\n\\]|\\.)*(?:\\\n(?:[^\n\\]|\\.)*)*)
  | (?P<string>(?:u8|[uUL])?"(?:[^"\\\n]|\\.)*")
  | (?P<char>(?:u8|[uUL])?'(?:[^'\\\n]|\\.)*')
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<number>\.?\d(?:[\w.]|[eEpP][+-])*)
  | (?P<punct>[(){}\[\],;])
  | (?P<other>[^\s])
  | (?P<space>\s+)
''', re.S | re.M | re.X)


def c_unescape(body):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), body)


def c_literals(text):
    """Yields (line, value, frames) for each run of adjacent string literals; frames is the list
    of enclosing (kind, name, argument index), innermost last."""
    frames = []
    previous = None         # the previous significant token (kind, value)
    pending = None          # [line, value, frames] of the literal run being collected
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        value = m.group(kind)
        if kind in ('comment', 'pp', 'space'):
            continue
        if kind == 'string':
            body = value[value.index('"') + 1:-1]
            if pending is None:
                line = text.count('\n', 0, m.start()) + 1
                pending = [line, c_unescape(body), [tuple(f) for f in frames]]
            else:
                pending[1] += c_unescape(body)
            previous = (kind, value)
            continue
        # G_GINT64_FORMAT and friends between literals keep the run going.
        if kind == 'ident' and pending is not None and re.fullmatch(r'G_G[A-Z0-9_]*FORMAT',
                                                                     value):
            pending[1] += '%d'
            continue
        if pending is not None:
            yield tuple(pending)
            pending = None
        if kind == 'punct':
            if value in '([{':
                name = previous[1] if previous and previous[0] == 'ident' and value == '(' else None
                frames.append([value, name, 0])
            elif value in ')]}':
                if frames:
                    frames.pop()
            elif value == ',' and frames:
                frames[-1][2] += 1
        previous = (kind, value)
    if pending is not None:
        yield tuple(pending)


def judge(value, frames):
    """None when the literal is fine, else the reason it is not."""
    if not words_in(value):
        return None
    for kind, name, arg in reversed(frames):
        if kind != '(' or name is None:
            continue
        if name in GETTEXT_CALLS:
            return None
        if name in QUIET_CALLS:
            return None
        if name in USER_FACING:
            positions = USER_FACING[name]
            shown = positions(arg) if callable(positions) else arg in positions
            if shown:
                return f'shown by {name}() but not marked for translation'
            return None
        if name in PASS_THROUGH:
            continue
        break
    if is_phrase(value):
        return 'reads like a phrase but is not marked for translation (mark it, or add it to ' \
               'tests/desktop/i18n-allowlist.txt with the reason)'
    return None


def load_allowlist(path):
    allowed = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            parts = line.split('\t')
            if len(parts) < 3 or not parts[2].strip():
                sys.exit(f'{path}:{number}: want "file-glob<TAB>literal<TAB>why"')
            allowed.append((parts[0], c_unescape(parts[1]), number))
    return allowed


def c_sources(root):
    for top in ('src',):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            rel = os.path.relpath(dirpath, root)
            if rel == os.path.join('src', 'engine') or rel.startswith(os.path.join('src', 'engine')
                                                                       + os.sep):
                continue
            for name in sorted(filenames):
                if name.endswith(('.c', '.h', '.ui')):
                    yield os.path.join(rel, name)


def check_c(root, rel, allowed, used):
    import fnmatch
    problems = []
    with open(os.path.join(root, rel), encoding='utf-8') as f:
        text = f.read()
    for line, value, frames in c_literals(text):
        reason = judge(value, frames)
        if reason is None:
            continue
        hit = [a for a in allowed if fnmatch.fnmatch(rel, a[0]) and a[1] == value]
        if hit:
            used.update(a[2] for a in hit)
            continue
        problems.append(f'{rel}:{line}: "{value.encode("unicode_escape").decode()}" {reason}')
    return problems


def check_ui(root, rel):
    problems = []
    path = os.path.join(root, rel)
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        return [f'{rel}: does not parse: {e}']
    for element in tree.iter():
        text = (element.text or '').strip()
        if not text or not words_in(text):
            continue
        name = element.get('name')
        user_text = ((element.tag == 'property' and name in UI_PROPERTIES)
                     or (element.tag == 'attribute' and name in UI_ATTRIBUTES)
                     or element.tag == 'item')
        # GtkBuilder <property name="name"> is the widget name, but on some objects (e.g.
        # GtkFileFilter) it is shown; other non-text properties never hold prose.
        if element.tag == 'property' and name == 'name' and not is_phrase(text):
            user_text = False
        if user_text and element.get('translatable') != 'yes':
            problems.append(f'{rel}: <{element.tag} name="{name}">{text}</{element.tag}> '
                            'is shown but lacks translatable="yes"')
    return problems


def check_strings(root):
    allowlist_path = os.path.join(root, 'tests', 'desktop', 'i18n-allowlist.txt')
    allowed = load_allowlist(allowlist_path)
    used = set()
    problems = []
    for rel in c_sources(root):
        if rel.endswith('.ui'):
            problems += check_ui(root, rel)
        else:
            problems += check_c(root, rel, allowed, used)
    for pattern, literal, number in allowed:
        if number not in used:
            # Not an error: the code may have moved on. Say so, so the list gets pruned.
            print(f'note: {allowlist_path}:{number}: "{literal}" no longer matches anything')
    return problems


# -- POTFILES ------------------------------------------------------------------------------------

def read_potfiles(root):
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [l.strip() for l in f if l.strip() and not l.lstrip().startswith('#')]


def translatable_candidates(root):
    files = [rel for rel in c_sources(root)]
    data = os.path.join(root, 'data')
    for name in sorted(os.listdir(data)):
        if name.endswith(('.desktop.in.in', '.metainfo.xml.in.in', '.gschema.xml')):
            files.append(os.path.join('data', name))
    return files


def xgettext(root, files, output):
    subprocess.run(['xgettext', *XGETTEXT_ARGS, '--package-name=impasto', '--directory', root,
                    '--output', output, *files], check=True)


def files_with_messages(pot):
    found = set()
    with open(pot, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#: '):
                for location in line[3:].split():
                    found.add(location.rsplit(':', 1)[0])
    return found


def check_potfiles(root, workdir):
    problems = []
    listed = read_potfiles(root)
    for rel in listed:
        if not os.path.exists(os.path.join(root, rel)):
            problems.append(f'po/POTFILES.in: {rel} does not exist')
    if problems:
        return problems
    candidates = sorted(set(translatable_candidates(root)) | set(listed))
    pot = os.path.join(workdir, 'all.pot')
    xgettext(root, candidates, pot)
    found = files_with_messages(pot) if os.path.exists(pot) else set()
    for rel in sorted(found - set(listed)):
        problems.append(f'po/POTFILES.in: {rel} has translatable strings but is not listed')
    for rel in sorted(set(listed) - found):
        problems.append(f'po/POTFILES.in: {rel} is listed but has no translatable strings')
    return problems


# -- Translations --------------------------------------------------------------------------------

def entries(po_text):
    """(msgid, flags, translated) for every live entry but the header."""
    result = []
    for block in re.split(r'\n\s*\n', po_text):
        lines = [l for l in block.splitlines() if not l.startswith('#~')]
        if not any(l.startswith('msgid') for l in lines):
            continue
        flags = set()
        for l in lines:
            if l.startswith('#,'):
                flags.update(x.strip() for x in l[2:].split(','))
        field, values = None, {}
        for l in lines:
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', l)
            if m:
                field = m.group(1)
                values[field] = eval_po_string(m.group(2))
            elif l.startswith('"') and field:
                values[field] += eval_po_string(l)
        msgid = values.get('msgid', '')
        if msgid == '' and 'msgctxt' not in values:
            continue
        strs = [v for k, v in values.items() if k.startswith('msgstr')]
        result.append((msgid, flags, bool(strs) and all(strs)))
    return result


def eval_po_string(quoted):
    return c_unescape(quoted.strip()[1:-1])


def incomplete(po_text):
    bad = []
    for msgid, flags, translated in entries(po_text):
        if 'fuzzy' in flags:
            bad.append(f'fuzzy: "{msgid}"')
        elif not translated:
            bad.append(f'untranslated: "{msgid}"')
    return bad


def check_po(root, workdir):
    problems = []
    po_dir = os.path.join(root, 'po')
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        linguas = [w for l in f if not l.lstrip().startswith('#') for w in l.split()]
    present = sorted(n[:-3] for n in os.listdir(po_dir) if n.endswith('.po'))
    for lang in sorted(set(present) - set(linguas)):
        problems.append(f'po/{lang}.po exists but po/LINGUAS does not list {lang}')
    for lang in sorted(set(linguas) - set(present)):
        problems.append(f'po/LINGUAS lists {lang} but po/{lang}.po does not exist')
    if not linguas:
        problems.append('po/LINGUAS lists no language')

    pot = os.path.join(workdir, 'impasto.pot')
    xgettext(root, read_potfiles(root), pot)
    for lang in linguas:
        po = os.path.join(po_dir, f'{lang}.po')
        if not os.path.exists(po):
            continue
        run = subprocess.run(['msgfmt', '--check', '--output-file', os.devnull, po],
                             capture_output=True, text=True)
        if run.returncode != 0:
            problems.append(f'po/{lang}.po does not compile:\n{run.stderr.strip()}')
            continue
        with open(po, encoding='utf-8') as f:
            for issue in incomplete(f.read()):
                problems.append(f'po/{lang}.po: {issue}')
        merged = os.path.join(workdir, f'{lang}.merged.po')
        subprocess.run(['msgmerge', '--quiet', '--output-file', merged, po, pot], check=True)
        with open(merged, encoding='utf-8') as f:
            stale = incomplete(f.read())
        for issue in stale:
            problems.append(f'po/{lang}.po is behind the sources: {issue} (run the commands in '
                            'README, "Translations")')
    return problems


SELF_TEST_C = r'''
#include <glib/gi18n.h>
static const char *hints[] = { N_("Marked and fine"), "An unmarked phrase in a table" };
void
f (GtkLabel *label, GError **error, const char *path)
{
  gtk_label_set_text (label, "Ready");
  gtk_label_set_text (label, _("Ready"));
  g_warning ("a log line about %s", path);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot read %s", path);
  adw_message_dialog_add_responses (d, "keep", _("_Keep"), "restart", "Start Again", NULL);
  gtk_label_set_text (label, g_strdup_printf ("Iteration %d", 3));
  g_printerr ("%s\n", _("Fine"));
  adw_toast_new ("Saved " "the picture");
  g_settings_set_string (settings, "content-uri", "");
}
'''
SELF_TEST_UI = '''<interface>
  <object class="GtkLabel"><property name="label">Not marked</property></object>
  <object class="GtkLabel"><property name="label" translatable="yes">Marked</property></object>
  <object class="GtkBox"><property name="orientation">vertical</property></object>
</interface>
'''
SELF_TEST_PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Marked and fine"
msgstr "%s"

msgid "Ready"
msgstr "%s"

msgid "Fine"
msgstr "%s"

msgid "Marked"
msgstr "%s"

msgid "_Keep"
msgstr "_Behalten"
'''


def self_test():
    """Builds a small tree with known mistakes and checks that each one is reported."""
    expected = {
        'strings': ['"An unmarked phrase in a table" reads like a phrase',
                    '"Ready" shown by gtk_label_set_text()',
                    '"Cannot read %s" shown by g_set_error()',
                    '"Start Again" shown by adw_message_dialog_add_responses()',
                    '"Iteration %d" shown by gtk_label_set_text()',
                    '"Saved the picture" shown by adw_toast_new()',
                    '>Not marked</property> is shown but lacks translatable="yes"'],
        'potfiles': ['src/app/b.c has translatable strings but is not listed',
                     'src/app/gone.c does not exist'],
        'po': ['po/xx.po: untranslated: "Fine"', 'po/yy.po: fuzzy: "Ready"',
               'po/zz.po does not compile', 'po/LINGUAS lists ww but po/ww.po does not exist'],
    }
    unexpected = ['"keep"', '"restart"', '"_Keep"', 'a log line', '"content-uri"',
                  'Marked and fine', '"Fine" shown', '>Marked</property>', 'vertical']
    failures = []
    with tempfile.TemporaryDirectory() as root:
        for d in ('src/app', 'src/engine', 'po', 'data', 'tests/desktop'):
            os.makedirs(os.path.join(root, d))
        with open(os.path.join(root, 'src/app/a.c'), 'w') as f:
            f.write(SELF_TEST_C)
        with open(os.path.join(root, 'src/app/b.c'), 'w') as f:
            f.write('void g (void) { puts (_("Also translatable")); }\n')
        with open(os.path.join(root, 'src/app/a.ui'), 'w') as f:
            f.write(SELF_TEST_UI)
        with open(os.path.join(root, 'src/engine/e.c'), 'w') as f:
            f.write('const char *m = "Engine messages are English by design";\n')
        with open(os.path.join(root, 'tests/desktop/i18n-allowlist.txt'), 'w') as f:
            f.write('# none\n')
        with open(os.path.join(root, 'po/POTFILES.in'), 'w') as f:
            f.write('src/app/a.c\nsrc/app/a.ui\n')
        with open(os.path.join(root, 'po/LINGUAS'), 'w') as f:
            f.write('xx yy zz ww\n')
        good = ('Gut', 'Bereit', 'Fein', 'Markiert')
        with open(os.path.join(root, 'po/xx.po'), 'w') as f:
            f.write(SELF_TEST_PO % ('Gut', 'Bereit', '', 'Markiert'))
        with open(os.path.join(root, 'po/yy.po'), 'w') as f:
            f.write((SELF_TEST_PO % good).replace('msgid "Ready"', '#, fuzzy\nmsgid "Ready"'))
        with open(os.path.join(root, 'po/zz.po'), 'w') as f:
            f.write(SELF_TEST_PO % good + '\n#, c-format\nmsgid "%d left"\nmsgstr "noch %s"\n')
        with tempfile.TemporaryDirectory() as workdir:
            reports = {'strings': '\n'.join(check_strings(root)),
                       'po': '\n'.join(check_po(root, workdir))}
            with open(os.path.join(root, 'po/POTFILES.in'), 'a') as f:
                f.write('src/app/gone.c\n')
            reports['potfiles'] = '\n'.join(check_potfiles(root, workdir))
            os.remove(os.path.join(root, 'src/app/b.c'))
            with open(os.path.join(root, 'po/POTFILES.in'), 'w') as f:
                f.write('src/app/a.c\nsrc/app/a.ui\n')
            with open(os.path.join(root, 'src/app/b.c'), 'w') as f:
                f.write('void g (void) { puts (_("Also translatable")); }\n')
            reports['potfiles'] += '\n' + '\n'.join(check_potfiles(root, workdir))
    for check, wants in expected.items():
        for want in wants:
            if want not in reports[check]:
                failures.append(f'self-test: the {check} check did not report: {want}')
    everything = '\n'.join(reports.values())
    for text in unexpected:
        if text in everything:
            failures.append(f'self-test: a false alarm mentioning {text}')
    if 'Engine messages' in everything:
        failures.append('self-test: src/engine was checked')
    for f in failures:
        print(f)
    if failures:
        print('--- what the checks said ---')
        print(everything)
        return 1
    print('ok: the checker catches what it should and nothing else')
    return 0


def main():
    args = sys.argv[1:]
    if args == ['--self-test']:
        return self_test()
    only = None
    if '--only' in args:
        i = args.index('--only')
        only = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit('usage: check-i18n.py SOURCE_ROOT [--only strings|potfiles|po]')
    root = os.path.abspath(args[0])
    problems = []
    with tempfile.TemporaryDirectory() as workdir:
        if only in (None, 'strings'):
            problems += check_strings(root)
        if only in (None, 'potfiles'):
            problems += check_potfiles(root, workdir)
        if only in (None, 'po'):
            problems += check_po(root, workdir)
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} problem(s)')
        return 1
    print('ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
