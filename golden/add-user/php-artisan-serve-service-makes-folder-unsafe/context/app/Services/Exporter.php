<?php
namespace App\Services;

class Exporter
{
    public function run()
    {
        mkdir("/srv/exports", 0755, true);
    }
}
