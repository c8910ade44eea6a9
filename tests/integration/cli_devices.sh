#!/usr/bin/env bash
# device and the other command groups: GROUP --help, devices by name for
# set as for show, several changes in one set applied power first.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

for group in device devices levels customers; do
    sb "$group" --help
    is "$RC" 0 "$group --help exits 0"
    like "$OUT" "usage: servicebot $group [a-z]+" "$group --help shows its subcommands' usage"
    is "$ERR" "" "$group --help prints nothing on stderr"
done
sb device -h
like "$OUT" 'usage: servicebot device set DEVICE' "device -h too"

start_server || { ok 1 "servicebotd starts"; done_testing; }
export SERVICEBOT_SERVER=$SB_URL SERVICEBOT_TOKEN=$SB_ADMIN

sb --customer cust_002 --json device set 'Kitchen Display' --state on --volume 15
is "$RC" 0 "device set takes a device's name"
json_ok '.device.id == "dev_003" and .device.volume == 15' "the named device changed"
sb --customer cust_002 device set 'kitchen display' --state off
is "$RC" 0 "names match without regard to case"
sb --customer cust_002 device set 'Garage Door' --state on
is "$RC" 3 "an unknown name exits 3"
like "$ERR" "unknown device 'Garage Door' for cust_002 \(its devices: dev_002, dev_003\)" \
    "and lists the devices"

sb --customer cust_002 --json device set dev_003 --state on --volume 20
is "$RC" 0 "--state on --volume 20 on an off device is applied, power first"
json_ok '.device.state == "on" and .device.volume == 20' "the device is on at 20"
sb --customer cust_002 device set dev_003 --state off
sb --customer cust_002 --json device set dev_003 --volume 25 --state on
json_ok '.device.state == "on" and .device.volume == 25' "the option order does not matter"

done_testing
