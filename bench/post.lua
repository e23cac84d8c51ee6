-- wrk: POST a create-payment body (bench/peers.sh)
wrk.method = "POST"
wrk.body   = '{"merchant_order_id":"o1","amount":1500,"currency":"USD","method":"card"}'
wrk.headers["Content-Type"] = "application/json"
