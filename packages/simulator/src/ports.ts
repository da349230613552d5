/** A commercial port: UN/LOCODE and a point at the port's waterside, decimal degrees (WGS 84). */
export interface Port {
  readonly locode: string;
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
}

const port = (locode: string, name: string, latitude: number, longitude: number): Port =>
  Object.freeze({ locode, name, latitude, longitude });

/**
 * Ports vessels sail between. Coordinates are approximate (a few kilometres) and placed on the water
 * at the terminals, not at the city centre: good enough for voyages of thousands of miles.
 */
export const PORTS: readonly Port[] = Object.freeze([
  port('NLRTM', 'Rotterdam', 51.95, 4.14),
  port('BEANR', 'Antwerp', 51.28, 4.32),
  port('DEHAM', 'Hamburg', 53.54, 9.93),
  port('NOBGO', 'Bergen', 60.4, 5.3),
  port('ESALG', 'Algeciras', 36.13, -5.43),
  port('MAPTM', 'Tanger Med', 35.89, -5.5),
  port('GRPIR', 'Piraeus', 37.94, 23.6),
  port('TRMER', 'Mersin', 36.79, 34.64),
  port('EGPSD', 'Port Said', 31.26, 32.31),
  port('AEJEA', 'Jebel Ali', 25.01, 55.04),
  port('QARAS', 'Ras Laffan', 25.93, 51.6),
  port('INNSA', 'Nhava Sheva', 18.95, 72.95),
  port('LKCMB', 'Colombo', 6.95, 79.84),
  port('MYPKG', 'Port Klang', 3.0, 101.36),
  port('SGSIN', 'Singapore', 1.26, 103.84),
  port('HKHKG', 'Hong Kong', 22.3, 114.16),
  port('CNSHA', 'Shanghai', 31.23, 121.49),
  port('KRPUS', 'Busan', 35.1, 129.04),
  port('JPYOK', 'Yokohama', 35.45, 139.66),
  port('AUPHE', 'Port Hedland', -20.31, 118.58),
  port('ZADUR', 'Durban', -29.87, 31.03),
  port('NGLOS', 'Lagos', 6.43, 3.39),
  port('BRSSZ', 'Santos', -23.98, -46.3),
  port('ARBUE', 'Buenos Aires', -34.58, -58.36),
  port('CLSAI', 'San Antonio', -33.59, -71.62),
  port('PAONX', 'Colón', 9.36, -79.9),
  port('USHOU', 'Houston', 29.73, -95.27),
  port('USNYC', 'New York', 40.67, -74.05),
  port('USLAX', 'Los Angeles', 33.73, -118.27),
  port('CAVAN', 'Vancouver', 49.29, -123.1),
]);

export function portByLocode(locode: string): Port {
  const found = PORTS.find((candidate) => candidate.locode === locode);
  if (found === undefined) throw new RangeError(`unknown port ${locode}`);
  return found;
}
