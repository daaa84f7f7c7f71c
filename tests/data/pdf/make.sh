#!/bin/sh
# Regenerate the synthetic PDFs of tests/data/pdf (see README.md for each file).
#
#   tests/data/pdf/make.sh            # all of them
#   tests/data/pdf/make.sh --no-sign  # all but the three signed ones
#
# Needs Debian 12 packages: libreoffice-writer-nogui fonts-wqy-zenhei
# fonts-wqy-microhei (LibreOffice exports), imagemagick (scan-no-text),
# python3-fonttools (wps-style), qpdf, poppler-utils (pdfsig), libnss3-tools
# (certutil), faketime (fixed signing time).
#
# Everything is byte-for-byte reproducible except the three signed files:
# their key pair is new on every run (the NSS database lives in a temporary
# directory and is deleted), so their bytes change while signer, signing
# time, byte ranges and pdfsig's verdicts stay the same. The real-*.pdf
# files are copies from Debian packages (README.md) and are not made here.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SAMPLES=$HERE/../../../evidence-samples
GEN="/usr/bin/python3 $HERE/gen/pdfgen.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TZ=UTC LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1772676000   # 2026-03-05 02:00 UTC
cd "$HERE"

lo_export() {  # lo_export SOURCE OUT.pdf
    cp "$1" "$TMP/src.${1##*.}"
    soffice -env:UserInstallation="file://$TMP/profile" --headless \
        --convert-to pdf --outdir "$TMP" "$TMP/src.${1##*.}" >/dev/null 2>&1
    $GEN lo-normalise "$TMP/src.pdf" "$1" "$2"
    rm -f "$TMP/src.pdf" "$TMP/src.${1##*.}"
}

# LibreOffice 7.4 exports of two sample documents.
lo_export "$SAMPLES/complete/13-合同-HT-2026-018-安全运维.docx" zh-contract-lo.pdf
lo_export "$SAMPLES/english/14-Acceptance-Report-HL-SA-2025-002.docx" en-report-lo.pdf

# Hand-written PDFs.
$GEN itext zh-itext-style.pdf
/usr/bin/python3 -m fontTools.subset /usr/share/fonts/truetype/wqy/wqy-microhei.ttc \
    --font-number=0 --text="$($GEN wps-text)" \
    --no-hinting --layout-features='' --output-file="$TMP/wps.ttf"
$GEN wps "$TMP/wps.ttf" wps-style.pdf

convert -size 1240x900 xc:white -font /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc \
    -fill black -pointsize 56 -annotate +420+120 '技术服务合同' \
    -pointsize 34 -annotate +120+260 '合同编号：HT-2026-018' \
    -annotate +120+340 '签订日期：2026年3月5日' \
    -annotate +120+420 '甲方：华东电力信息有限公司' \
    -annotate +120+500 '乙方：青云网安技术有限公司' \
    -background white -rotate 0.6 -gravity center -extent 1240x900 \
    -colorspace Gray -depth 8 "$TMP/scan.pgm"
$GEN scan "$TMP/scan.pgm" scan-no-text.pdf

$GEN pages "$TMP/pages.pdf"
qpdf --object-streams=generate --compress-streams=y --deterministic-id "$TMP/pages.pdf" pages-10000.pdf

# Encryption (AES-256, R6). The file key and salts are random, so these two differ on
# every run (qpdf has no option that fixes them); their content does not.
qpdf --encrypt user owner 256 -- zh-contract-lo.pdf user-password.pdf
qpdf --encrypt '' owner 256 -- zh-contract-lo.pdf owner-only.pdf

# Hostile files.
$GEN flate-bomb flate-bomb.pdf
$GEN ref-loop ref-loop.pdf
$GEN deep-nesting deep-nesting.pdf
$GEN truncate zh-contract-lo.pdf truncated.pdf
$GEN garbage garbage-after-header.pdf
$GEN xref-lies xref-lies.pdf

if [ "${1:-}" = --no-sign ]; then
    exit 0
fi

# Signed: a self-signed certificate for 张伟 in a temporary NSS database; the signing
# time is fixed with faketime at 2026-03-05 10:00:00 China Standard Time.
DB=$TMP/nss
mkdir "$DB"
certutil -N -d "sql:$DB" --empty-password
head -c 2048 /dev/urandom > "$TMP/noise"
TZ=Asia/Shanghai faketime -f '2026-03-05 09:30:00' certutil -S -d "sql:$DB" -n zhangwei \
    -s 'CN=张伟,O=青云网安技术有限公司,L=上海,C=CN' -x -t 'CT,C,C' -k rsa -g 2048 -Z SHA256 \
    -v 36 -m 20260305 -z "$TMP/noise" --keyUsage digitalSignature,nonRepudiation,certSigning >/dev/null
TZ=Asia/Shanghai faketime -f '2026-03-05 10:00:00' pdfsig -nssdir "sql:$DB" -add-signature \
    -nick zhangwei -digest SHA256 -reason '合同签署' -new-signature-field-name Signature1 \
    zh-contract-lo.pdf signed.pdf
$GEN append-update signed.pdf signed-then-modified.pdf
$GEN tamper signed.pdf signed-tampered.pdf
