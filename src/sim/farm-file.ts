import { readFile } from 'node:fs/promises';
import { ValidationError } from '../errors.js';
import { parseFarm, type Farm } from './farm.js';

/**
 * Reads and validates a farm description file (`--farm <file>`).
 * @throws ValidationError (`argument: 'farm'`) when the file is unreadable or not JSON; parseFarm's errors otherwise.
 * @example const farm = await loadFarmFile('examples/farm.json')
 */
export async function loadFarmFile(file: string): Promise<Farm> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError('farm', file, `cannot read farm file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('farm', file, `farm file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseFarm(json);
}
