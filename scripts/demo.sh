#!/usr/bin/env bash
# The demo of `make demo`: a lead moved by client communication, a deal moved by its contract, their
# histories and one `event explain`, in a database in a temporary place.
set -euo pipefail
crmctl=${CRMCTL:-crmctl}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export CRMCTL_DB="$dir/demo.db"
at() { export CRMCTL_NOW="$1"; }
say() { printf '\n# %s\n' "$*"; }
# The command goes to stderr so that `id=$(run lead create ...)` captures the id alone.
run() { printf '$ crmctl %s\n' "$*" >&2; "$crmctl" "$@"; }

at 2026-11-24T08:00:00Z
say "A database with the default pipelines"
run init
run pipeline show lead

say "Triggers on the lead pipeline: client communication moves leads along"
run trigger add --on call.missed --pipeline lead --stage IN_PROCESS --name "missed call: call back" --as dispatcher
run trigger add --on email.link_clicked --url https://shop.example/pricing --pipeline lead --stage PROCESSED --name "looked at prices"
run trigger add --on chat.first_message --pipeline lead --stage IN_PROCESS --name "first chat message"
run trigger add --on chat.answer_late --seconds 600 --pipeline lead --stage JUNK --allow-backwards --name "answered too late"
run trigger add --on form.callback --pipeline lead --stage IN_PROCESS --name "callback form after hours"
run trigger add --on chat.text --text "Bestellung morgen liefern" --pipeline lead --stage PROCESSED --name "order for tomorrow"

say "Two leads"
lead=$(run lead create --title "Clara Weiss, 40 chairs" --email clara@example.com --phone "+49 30 555 0101" --responsible anna)
echo "$lead"
lead2=$(run lead create --title "Jonas Brandt" --email jonas@example.com --responsible ben)
echo "$lead2"
lead3=$(run lead create --title "Mia Kaya, office plants" --phone "+49 171 2233445" --email mia@example.com)
echo "$lead3"

say "Clara's call is missed: the lead moves to In progress"
at 2026-11-24T09:12:00Z
run event inject --type call.missed --phone "+4930 5550101" --set line=hotline --key tel-0001
say "She clicks the link in our email: only the pricing link fires"
at 2026-11-24T10:00:00Z
run event inject --type email.link_clicked --email CLARA@example.com --set url=https://shop.example/pricing?ref=mail --key mail-0001

say "A batch from the chat, the web forms and the phone system, as NDJSON from cron"
cat >"$dir/batch.ndjson" <<'NDJSON'
{"key":"chat-1","type":"chat.message","element":LEAD2,"at":"2026-11-24T18:30:00Z","data":{"chat":"c-77","text":"Hallo, ist der Tisch lieferbar?"}}
{"key":"chat-2","type":"chat.message","element":LEAD2,"at":"2026-11-24T18:31:00Z","data":{"chat":"c-77","text":"morgen liefern wäre gut"}}
{"key":"chat-3","type":"chat.answered","element":LEAD2,"at":"2026-11-24T18:45:00Z","by":"ben","data":{"chat":"c-77"}}
{"key":"bad-1","type":"call.lost","element":LEAD2}
{"key":"form-1","type":"form.submitted","contact":{"phone":"+49-171-223 3445"},"at":"2026-11-24T22:40:00Z","data":{"form":"callback","kind":"callback","fields":{"when":"tomorrow 9:00"}}}
{"key":"form-2","type":"form.submitted","contact":{"email":"nobody@example.com"},"data":{"form":"callback","kind":"callback"}}
NDJSON
sed -i "s/LEAD2/$lead2/g" "$dir/batch.ndjson"
printf '$ crmctl event ingest batch.ndjson\n'
"$crmctl" event ingest "$dir/batch.ndjson" || echo "(exit $?: the bad lines were rejected, the others stored)"
say "Run the same batch again: every stored line is a duplicate, nothing is applied twice"
"$crmctl" event ingest "$dir/batch.ndjson" >/dev/null || true

say "Why did the answer move Jonas's lead to Junk?"
run event explain chat-3

say "The deal pipeline: the paperwork triggers follow the contract"
run trigger add --on document.created --template contract --pipeline deal --stage PREPARATION --name "contract drafted"
run trigger add --on document.viewed --template contract --pipeline deal --stage PREPAYMENT_INVOICE --name "client read it"
run trigger add --on document.signed.sender --template contract --pipeline deal --stage EXECUTING --name "we signed"
run trigger add --on document.signed.all --template contract --pipeline deal --stage FINAL_INVOICE --name "signed by both"
deal=$(run deal create --title "Office fit-out, Weiss GmbH" --responsible anna --email clara@example.com)
echo "$deal"
at 2026-11-25T09:00:00Z
run document create --element "$deal" --template contract --title "Fit-out contract" --ref C-2026-17 --by anna
at 2026-11-25T09:05:00Z
run document send C-2026-17 --via email --by anna
at 2026-11-25T11:40:00Z
run document view C-2026-17
at 2026-11-26T08:00:00Z
run document sign C-2026-17 --party sender --by anna
at 2026-11-26T15:20:00Z
run document sign C-2026-17 --party recipient

say "Why did the client's signature move the deal to Final invoice?"
signature=$("$crmctl" event list --element "$deal" | tail -n 1 | cut -d ' ' -f 1)
run event explain "$signature"

say "The histories: who moved each element, when, and why"
run history "$lead"
run history "$lead2"
run history "$lead3"
run history "$deal"
