port ENV.fetch("PORT", 80)
