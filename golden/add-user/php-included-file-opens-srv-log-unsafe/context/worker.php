<?php
require_once __DIR__ . "/lib/log.php";
log_line("started");
