# Puma reads PORT, as the e2e smoke check sets it; 4567 otherwise.
port ENV.fetch("PORT") { 4567 }
threads 1, 4
