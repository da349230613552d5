import type { ShipType as CiiShipType } from '@fleetwatch/cii';
import type { ShipType as FleetShipType } from '@fleetwatch/fleet-registry';

/**
 * The fleet registry's ship types (kebab-case, short names) as @fleetwatch/cii's (snake_case, the names
 * of MEPC.353(78)). Spelled out rather than derived: the names differ in more than separators
 * ('general-cargo' is 'general_cargo_ship', 'ro-ro-passenger-high-speed' is 'ro_ro_passenger_ship_hsc'),
 * and the Record type makes a ship type added to the registry a compile error here until it is mapped.
 */
export const CII_SHIP_TYPE: Readonly<Record<FleetShipType, CiiShipType>> = Object.freeze({
  'bulk-carrier': 'bulk_carrier',
  'gas-carrier': 'gas_carrier',
  tanker: 'tanker',
  'container-ship': 'container_ship',
  'general-cargo': 'general_cargo_ship',
  'refrigerated-cargo-carrier': 'refrigerated_cargo_carrier',
  'combination-carrier': 'combination_carrier',
  'lng-carrier': 'lng_carrier',
  'ro-ro-vehicle-carrier': 'ro_ro_vehicle_carrier',
  'ro-ro-cargo': 'ro_ro_cargo_ship',
  'ro-ro-passenger': 'ro_ro_passenger_ship',
  'ro-ro-passenger-high-speed': 'ro_ro_passenger_ship_hsc',
  'cruise-passenger': 'cruise_passenger_ship',
});
