#!/bin/sh
# keyward: starts the console (browser host + Chromium app window), see keyward(1).
set -e
here=$(dirname "$(readlink -f "$0")")
exec "$here/../node/bin/node" "$here/../app/keyward-launcher.js" "$@"
