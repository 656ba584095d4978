<?php

final class Greeter
{
    public function __construct(private string $name)
    {
    }

    public function greet(): string
    {
        return "hello from " . $this->name . " " . PHP_MAJOR_VERSION . "." . PHP_MINOR_VERSION;
    }
}
