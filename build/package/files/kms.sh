#!/bin/sh
# kms: the Keyward command line, run by the Node runtime shipped in the package (see kms(1)).
set -e
here=$(dirname "$(readlink -f "$0")")
exec "$here/../node/bin/node" "$here/../app/kms.js" "$@"
