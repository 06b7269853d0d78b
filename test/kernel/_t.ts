import { readFileSync } from 'node:fs';
import { parseRecording } from './recording';
import { groundTruth } from './groundTruth';
import { run } from '../unit/helpers';
const gt = groundTruth(parseRecording(readFileSync(process.argv[2], 'utf8')));
const a = run(gt.scenario, { dyndbg: true });
const names = new Set(['memremap_pages','arch_add_memory','__add_pages','sparse_add_section','vmemmap_populate','move_pfn_range_to_zone','memmap_init_zone_device','add_memory_driver_managed','add_memory','online_pages','offline_pages','__remove_pages','pagemap_range']);
for (const s of a.run!.trace.spans) if (names.has(s.name)) console.log(s.name, JSON.stringify(s.args));
