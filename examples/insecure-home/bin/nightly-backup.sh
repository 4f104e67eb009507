#!/bin/sh
# Run by shell_command.nightly_backup: copies the newest backup to the NAS.
set -e
sshpass -p 'Nas-Birch-2018' scp /backup/*.tar backup@192.168.1.30:/volume1/ha/
