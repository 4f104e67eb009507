#!/bin/sh
# Called by the command_line auth provider with $username and $password set.
[ "$username" = "guest" ] && [ "$password" = "guest" ]
