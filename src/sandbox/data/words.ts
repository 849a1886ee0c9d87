/** Word lists the generators draw from. Changing them changes every seed's data. */

export const FIRST_NAMES = [
  'Ola', 'Kari', 'Per', 'Ingrid', 'Lars', 'Sigrid', 'Erik', 'Marit', 'Knut', 'Hilde',
  'Bjørn', 'Anne', 'Håkon', 'Solveig', 'Terje', 'Liv', 'Øystein', 'Ragnhild', 'Geir', 'Tone',
] as const;

export const LAST_NAMES = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen',
  'Jensen', 'Karlsen', 'Berg', 'Haugen', 'Hagen', 'Johnsen', 'Dahl', 'Lie', 'Solberg', 'Bakken',
] as const;

export const COMPANY_STEMS = [
  'Fjord', 'Nordkapp', 'Vestland', 'Bergen', 'Tromsø', 'Viking', 'Polar', 'Lofoten', 'Trønder',
  'Sørlandet', 'Fjell', 'Havbris', 'Midnattsol', 'Granitt', 'Bølgen', 'Skog', 'Isbre', 'Elvebakken',
] as const;

export const COMPANY_TRADES = [
  'Bygg AS', 'Fisk AS', 'Regnskap AS', 'Elektro AS', 'Transport AS', 'Rørlegger AS', 'Data AS',
  'Maskin AS', 'Eiendom AS', 'Mat AS', 'Rådgivning AS', 'Verksted AS', 'Handel AS',
] as const;

export const STREETS = [
  'Storgata', 'Kongens gate', 'Dronningens gate', 'Strandveien', 'Bygdøy allé', 'Markveien',
  'Torggata', 'Skippergata', 'Sjøgata', 'Kirkegata', 'Industriveien', 'Havnegata',
] as const;

export interface City {
  city: string;
  postalCode: string;
  /** First digits of landline numbers in the area. */
  areaCode: string;
}

export const CITIES: readonly City[] = [
  { city: 'Oslo', postalCode: '0150', areaCode: '22' },
  { city: 'Bergen', postalCode: '5003', areaCode: '55' },
  { city: 'Trondheim', postalCode: '7010', areaCode: '73' },
  { city: 'Stavanger', postalCode: '4006', areaCode: '51' },
  { city: 'Tromsø', postalCode: '9008', areaCode: '77' },
  { city: 'Kristiansand', postalCode: '4610', areaCode: '38' },
  { city: 'Drammen', postalCode: '3015', areaCode: '32' },
  { city: 'Bodø', postalCode: '8006', areaCode: '75' },
  { city: 'Ålesund', postalCode: '6002', areaCode: '70' },
  { city: 'Fredrikstad', postalCode: '1606', areaCode: '69' },
];

/** The ten Nordlys Holding subsidiaries registered under one organisation number. */
export const NORDLYS_NAMES = [
  'Nordlys Holding AS',
  'Nordlys Holding AS avd. Bergen',
  'Nordlys Holding AS avd. Trondheim',
  'Nordlys Holding AS avd. Tromsø',
  'Nordlys Eiendom',
  'Nordlys Logistikk',
  'Nordlys Energi Salg',
  'Nordlys Holding – Innkjøp',
  'Nordlys Holding AS (faktura)',
  'Nordlys Drift Stavanger',
] as const;

export interface CatalogueEntry {
  name: string;
  description: string;
  categoryId: number;
  basePrice: number;
  vatRate: number;
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  { name: 'Kontorstol Ergo Pro', description: 'Ergonomisk kontorstol med nakkestøtte', categoryId: 11, basePrice: 4990, vatRate: 25 },
  { name: 'Hev/senk-skrivebord 160x80', description: 'Elektrisk hev/senk-bord, hvit plate', categoryId: 11, basePrice: 6490, vatRate: 25 },
  { name: 'Arkivskap 3 skuffer', description: 'Låsbart arkivskap i stål', categoryId: 11, basePrice: 2790, vatRate: 25 },
  { name: 'Møtebord Fjord 240', description: 'Møtebord i eik for 10 personer', categoryId: 11, basePrice: 12900, vatRate: 25 },
  { name: 'Skjermvegg akustikk', description: 'Lyddempende skjermvegg 120 cm', categoryId: 11, basePrice: 1890, vatRate: 25 },
  { name: 'Kopipapir A4 (5 x 500 ark)', description: '80 g hvitt kopipapir', categoryId: 12, basePrice: 289, vatRate: 25 },
  { name: 'Tonerkassett sort', description: 'Original toner, 3000 sider', categoryId: 12, basePrice: 1149, vatRate: 25 },
  { name: 'Kulepenn blå (50 stk)', description: 'Kulepenn med klips', categoryId: 12, basePrice: 179, vatRate: 25 },
  { name: 'Ringperm A4 (10 stk)', description: 'Ringperm med 2 ringer', categoryId: 12, basePrice: 249, vatRate: 25 },
  { name: 'Kaffe hele bønner 1 kg', description: 'Fairtrade kaffe, mellomristet', categoryId: 12, basePrice: 219, vatRate: 15 },
  { name: 'Bærbar PC 14" Business', description: '16 GB RAM, 512 GB SSD', categoryId: 211, basePrice: 14990, vatRate: 25 },
  { name: 'Bærbar PC 16" Creator', description: '32 GB RAM, 1 TB SSD', categoryId: 211, basePrice: 24990, vatRate: 25 },
  { name: 'Bærbar PC 13" Lett', description: '8 GB RAM, 256 GB SSD', categoryId: 211, basePrice: 9990, vatRate: 25 },
  { name: 'Dokkingstasjon USB-C', description: 'To skjermutganger og lading', categoryId: 212, basePrice: 2490, vatRate: 25 },
  { name: 'Skjerm 27" QHD', description: 'IPS-panel, høydejusterbar fot', categoryId: 212, basePrice: 3990, vatRate: 25 },
  { name: 'Tastatur trådløst nordisk', description: 'Nordisk tastaturoppsett', categoryId: 212, basePrice: 899, vatRate: 25 },
  { name: 'Mus ergonomisk', description: 'Vertikal mus, trådløs', categoryId: 212, basePrice: 749, vatRate: 25 },
  { name: 'Headset med støydemping', description: 'Sertifisert for Teams', categoryId: 212, basePrice: 1990, vatRate: 25 },
  { name: 'Webkamera 4K', description: 'Med innebygd mikrofon', categoryId: 212, basePrice: 1690, vatRate: 25 },
  { name: 'Acme ERP lisens (bruker/mnd)', description: 'Abonnement per navngitt bruker', categoryId: 22, basePrice: 450, vatRate: 25 },
  { name: 'Acme Lønn tilleggsmodul', description: 'Lønn og A-melding', categoryId: 22, basePrice: 1200, vatRate: 25 },
  { name: 'Acme Fakturascanning', description: 'EHF og PDF-tolkning', categoryId: 22, basePrice: 690, vatRate: 25 },
  { name: 'Antivirus bedrift (år)', description: 'Lisens per enhet', categoryId: 22, basePrice: 390, vatRate: 25 },
  { name: 'Konsulenttime senior', description: 'Senior integrasjonskonsulent', categoryId: 31, basePrice: 1650, vatRate: 25 },
  { name: 'Konsulenttime junior', description: 'Junior utvikler', categoryId: 31, basePrice: 1100, vatRate: 25 },
  { name: 'Prosjektledelse (time)', description: 'Sertifisert prosjektleder', categoryId: 31, basePrice: 1450, vatRate: 25 },
  { name: 'Opplæring halv dag', description: 'Kurs på kundens lokasjon', categoryId: 31, basePrice: 7500, vatRate: 25 },
  { name: 'Serviceavtale Basis 12 mnd', description: 'Responstid neste virkedag', categoryId: 32, basePrice: 9900, vatRate: 25 },
  { name: 'Serviceavtale Pluss 12 mnd', description: 'Responstid 4 timer', categoryId: 32, basePrice: 19900, vatRate: 25 },
  { name: 'Driftsavtale server (mnd)', description: 'Overvåking og patching', categoryId: 32, basePrice: 2900, vatRate: 25 },
  { name: 'Backup skylagring 1 TB (mnd)', description: 'Kryptert lagring i Norge', categoryId: 32, basePrice: 299, vatRate: 25 },
  { name: 'Oppsett ny arbeidsstasjon', description: 'Installasjon og klargjøring', categoryId: 31, basePrice: 1490, vatRate: 25 },
  { name: 'Nettverkssvitsj 24 porter', description: 'Administrerbar, PoE', categoryId: 212, basePrice: 5490, vatRate: 25 },
  { name: 'Whiteboard 120x90', description: 'Magnetisk emaljert tavle', categoryId: 12, basePrice: 1290, vatRate: 25 },
];
