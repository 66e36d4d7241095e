# Shared by scripts/demo, scripts/test and .ci/run: find a Python new enough for Django 6,
# keep the project's .venv and install the project into it. Source it; do not run it.
#
#   aircop_find_python            prints the path of a Python >= 3.12, or fails saying so
#   aircop_prepare_venv SPEC      creates .venv if missing and installs SPEC ("." or ".[dev]")
#                                 unless pyproject.toml is unchanged since the last install
#
# Both expect to be called from the project root.

AIRCOP_MIN_PYTHON="3.12"

# True when $1 runs and is Python >= 3.12. A pyenv shim for a version that is not selected
# exits non-zero here, which is why every candidate is run rather than trusted by its name.
aircop_python_is_recent() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

aircop_find_python() {
    local candidate
    if [ -n "${PYTHON:-}" ]; then
        if aircop_python_is_recent "$PYTHON"; then
            printf '%s\n' "$PYTHON"
            return 0
        fi
        echo "error: PYTHON=$PYTHON is not a working Python >= $AIRCOP_MIN_PYTHON." >&2
        return 1
    fi
    for candidate in python3.14 python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && aircop_python_is_recent "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    # pyenv installs that are not selected in this shell, newest first.
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    while IFS= read -r candidate; do
        if [ -x "$candidate" ] && aircop_python_is_recent "$candidate"; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done < <(printf '%s\n' "$pyenv_root"/versions/3.1[2-9]*/bin/python3 | sort -V -r)
    cat >&2 <<EOF
error: AIRCOP Targeting needs Python $AIRCOP_MIN_PYTHON or newer (Django 6 requires it), and none
was found. Looked at \$PYTHON, python3.14, python3.13, python3.12 and python3 on PATH, and
$pyenv_root/versions/3.1x. Install one (e.g. 'apt-get install python3.12 python3.12-venv' where
your distribution has it, or 'pyenv install 3.12'), or point PYTHON at it:
    PYTHON=/path/to/python3.12 $0
EOF
    return 1
}

aircop_prepare_venv() {
    local spec="$1"
    local venv=".venv"
    # A .venv left by an older Python, or whose Python has since been removed, is made anew.
    if [ -e "$venv" ] && ! aircop_python_is_recent "$venv/bin/python"; then
        echo "== $venv has no working Python >= $AIRCOP_MIN_PYTHON; recreating it"
        rm -rf "$venv"
    fi
    if [ ! -e "$venv" ]; then
        local python
        python=$(aircop_find_python) || return 1
        echo "== Creating $venv with $python ($("$python" --version 2>&1))"
        if ! "$python" -m venv "$venv"; then
            echo "error: '$python -m venv' failed; on Debian/Ubuntu install the matching" \
                "python3.X-venv package." >&2
            return 1
        fi
    fi
    # One stamp per install spec, holding the hash of pyproject.toml it was installed from.
    local stamp_name="${spec//[^a-z]/}"
    local stamp="$venv/.aircop-installed-${stamp_name:-base}"
    local wanted
    wanted=$("$venv/bin/python" -c \
        'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')
    # An install with the dev extras holds everything the plain install needs.
    local dev_stamp="$venv/.aircop-installed-dev"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    if [ "$spec" = "." ] && [ -f "$dev_stamp" ] && [ "$(cat "$dev_stamp")" = "$wanted" ]; then
        return 0
    fi
    echo "== Installing the project ($spec) into $venv; the first time takes a minute or two"
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet --upgrade pip || return 1
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -e "$spec" || return 1
    printf '%s\n' "$wanted" >"$stamp"
}
