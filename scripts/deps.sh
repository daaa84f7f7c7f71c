# deps.sh: sourced by the README's commands. Installs the Debian packages the
# build, the tests and the demo need, when any is missing (we run as root on
# the target machines; elsewhere sudo is used if present).
EV_DEB_PACKAGES="build-essential cmake pkg-config clang
 libxml2-dev libxml2-utils libzip-dev zip unzip libsodium-dev libjansson-dev
 libpcre2-dev libutf8proc-dev libsqlite3-dev sqlite3 libinih-dev
 libsystemd-dev libseccomp-dev libcmocka-dev python3 python3-docx
 libpoppler-glib-dev poppler-data libnss3-dev bash-completion
 libtesseract-dev libleptonica-dev libcairo2-dev tesseract-ocr-chi-sim tesseract-ocr-eng"

ev_install_deps() {
    local missing="" pkg
    for pkg in $EV_DEB_PACKAGES "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
            missing="$missing $pkg"
    done
    [ -z "$missing" ] && return 0
    echo "installing Debian packages:$missing" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
}
