#!/usr/bin/env bash
# The demo of `make demo`: a lead moved by client communication, a deal moved by its contract, their
# histories and one `event explain`, in a database in a temporary place; last the board and the report as
# HTML pages, which stay in that place for a browser.
set -euo pipefail
crmctl=${CRMCTL:-crmctl}
dir=$(mktemp -d)
# Everything goes when the demo ends but the pages (the folder too when it ended before writing them).
cleanup() {
    find "$dir" -mindepth 1 -maxdepth 1 ! -name board.html ! -name report.html -exec rm -rf {} +
    rmdir "$dir" 2>/dev/null || true
}
trap cleanup EXIT
export CRMCTL_DB="$dir/demo.db"
at() { export CRMCTL_NOW="$1"; }
say() { printf '\n# %s\n' "$*"; }
# A word as a shell would need it typed: as is when it is plain, else in single quotes.
quote() { case $1 in *[!A-Za-z0-9_./:=@+,-]*|'') printf "'%s'" "${1//\'/\'\\\'\'}" ;; *) printf '%s' "$1" ;; esac; }
# The command goes to stderr, pasteable, so that `id=$(run lead create ...)` captures the id alone.
run() {
    { printf '$ crmctl'; for word in "$@"; do printf ' '; quote "$word"; done; printf '\n'; } >&2
    "$crmctl" "$@"
}

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

say "Three leads"
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

say "The deal pipeline: a callback form after hours, automation rules, and the paperwork triggers"
run trigger add --on form.callback --pipeline deal --stage PREPARATION --name "callback form after hours"
run trigger add --on document.created --template contract --pipeline deal --stage PREPAYMENT_INVOICE --name "contract drafted"
run trigger add --on document.signed.sender --template contract --pipeline deal --stage EXECUTING --name "we signed"
run trigger add --on document.signed.all --template contract --pipeline deal --stage FINAL_INVOICE --name "signed by both"
say "Rules act on every deal that enters their stage: a text for the client, the contract drafted"
run rule add --pipeline deal --stage PREPARATION --do sms --name "we will call you tomorrow" \
    --text "Guten Abend, {title}: wir rufen Sie morgen ab 9 Uhr an."
run rule add --pipeline deal --stage PREPARATION --do document --template contract --title "Vertrag {title}" \
    --name "draft the contract" --as anna
run rule add --pipeline deal --stage FINAL_INVOICE --do notify --text "{title}: signed by both, send the final invoice"
run rule add --pipeline deal --stage FINAL_INVOICE --do notify --name "invoice reminder" \
    --text "Reminder: the final invoice for {title}" --after 1d --at 09:00 --work-hours 'Mon-Fri 09:00-18:00' --tz Europe/Berlin
run rule list
deal=$(run deal create --title "Office fit-out, Weiss GmbH" --responsible anna --email clara@example.com --phone "+49 30 555 0101")
echo "$deal"

say "Offers that go quiet: a pipeline of their own, a time trigger and a rule"
run pipeline create --type deal --name Offers --stages "NEW:New,OFFER_SENT:Offer sent,FOLLOW_UP:Follow up,WON:Won:success,LOST:Lost:failure"
run trigger add --on stage.idle --seconds 172800 --pipeline Offers --stage FOLLOW_UP --name "quiet for two days"
run rule add --pipeline Offers --stage FOLLOW_UP --do notify --text "{title} has been quiet for two days: call them"
offer=$(run deal create --pipeline Offers --title "Kaya Pflanzen, office plants" --responsible ben --stage OFFER_SENT)
echo "$offer"

say "At 22:40 the client asks for a callback: the trigger moves the deal, the rules send the text and draft the contract, whose trigger moves it on"
at 2026-11-25T22:40:00Z
run event inject --type form.submitted --element "$deal" --data '{"form":"callback","kind":"callback"}' --key web-0042
run outbox list
run job list --element "$deal"
contract=$("$crmctl" document list --element "$deal" | tail -n 1 | cut -d ' ' -f 1)

say "The paperwork: sent, read, signed by both"
at 2026-11-26T09:05:00Z
run document send "$contract" --via email --by anna
at 2026-11-26T11:40:00Z
run document view "$contract"
at 2026-11-27T08:00:00Z
run document sign "$contract" --party sender --by anna
at 2026-11-27T15:20:00Z
run document sign "$contract" --party recipient

say "Why did the client's signature move the deal to Final invoice?"
signature=$("$crmctl" event list --element "$deal" | tail -n 1 | cut -d ' ' -f 1)
run event explain "$signature"
say "Three days pass in seconds (CRMCTL_NOW): cron runs crmctl tick every minute; here, three of them"
at 2026-11-26T14:00:00Z
run event inject --type email.received --element "$offer" --set subject="Re: Angebot" --key mail-kaya-1
at 2026-11-28T14:00:00Z
run tick
at 2026-11-29T12:00:00Z
run tick
at 2026-11-30T08:00:00Z
run tick
run job list --element "$deal"
run history "$offer"

say "The outbox: what the rules want sent (crmctl deliver hands it to a gateway, see the README)"
run outbox list

say "The histories: who moved each element, when, and why"
run history "$lead"
run history "$lead2"
run history "$lead3"
run history "$deal"

say "Delivery: a small script stands in for the SMS gateway and appends each message to a file"
cat > "$dir/send.sh" <<'SCRIPT'
#!/bin/sh
# One message: its payload on stdin, its id, kind and recipient in CRMCTL_MESSAGE_*.
if command -v jq >/dev/null; then text=$(jq -r '.text // "(webhook)"'); else text=$(cat); fi
printf '%s  %s  to %s: %s\n' "$CRMCTL_MESSAGE_ID" "$CRMCTL_MESSAGE_KIND" "$CRMCTL_MESSAGE_TO" "$text" >> "$SENT"
SCRIPT
chmod +x "$dir/send.sh"
export SENT="$dir/sent.txt"
run deliver --exec "$dir/send.sh"
printf '\n$ cat sent.txt\n'
cat "$SENT"
run outbox list

say "The board and the report as pages for a browser: one self-contained HTML file each"
run board --html > "$dir/board.html"
run report --html > "$dir/report.html"
printf 'board:  %s\nreport: %s\n' "$dir/board.html" "$dir/report.html"
