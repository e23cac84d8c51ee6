// Package replay reads and writes order traffic files: real history (an
// export of payment attempts) or paydrill's own recorded traffic, as CSV
// or JSON Lines, streamed row by row so memory does not grow with the
// file.
//
// A Mapping names which column holds each field of an order (time,
// amount, currency, product, category, buyer, method, region) and, for
// history, the payment (intent), the provider that handled it, its
// outcome, its decline code, its latency and when it completed. Two
// mappings are built in: Native, the columns `paydrill record` writes,
// and Orchestrator, the payment-attempt export of open-source payment
// orchestrators (payment_intent_id, payment_attempt_id, amount,
// payment_gateway, payment_status, created_at, payment_method_type,
// order_currency, card_network).
//
// Secrets: only mapped columns are read into rows; every other column of
// a file (card numbers, CVCs, tokens, e-mail addresses) is never copied
// out of the reader's line buffer. A mapping may not name a column whose
// name says it holds a secret (see Secret), and a text value that looks
// like a card number (13 to 19 digits passing the Luhn check) is a bad
// row. Buyers are reduced to an index (the integer itself, else a hash),
// so buyer ids never reach a report either.
//
// Values:
//   - time: RFC 3339 (with or without fraction) or unix seconds (with an
//     optional fraction), as text or a JSON number.
//   - amount: integer minor units (cents) by default, as the orchestrator
//     export writes them; with amount_unit major, a decimal in major units
//     with at most two decimal places.
//   - product: an integer is the product index itself; other text is given
//     the next free index (up to MaxDistinct, then a hash).
//   - buyer: an integer under the population size is the buyer index
//     itself; other text is hashed to an index.
//   - category, method, region, currency, provider, outcome, code: text,
//     at most MaxDistinct distinct values per column.
//
// Orders from attempts: an attempt export has a row per attempt. When the
// mapping names an intent column, Source takes the first attempt of each
// intent as the order and drops the later ones (the router under test
// makes its own retries). It remembers the RecentIntents most recent
// intents (two generations of RecentIntents/2, so memory stays flat): a
// retry that comes more than that many rows after its intent's first
// attempt counts as a new order.
//
// Bad input: a row that cannot be read is a *RowError naming the file,
// the line, the row (data rows counted from 1) and the column. A reader
// stops at the first bad row unless Options.MaxBadRows allows more; every
// bad row is reported (Options.OnBadRow), none is skipped silently.
package replay
