// The workbook as the runtime holds it in memory: the state behind every emulated service.
import type { CellData } from './values';

export interface ProtectionData {
  id: number;
  /** null: the whole sheet. */
  range: { row: number; col: number; numRows: number; numCols: number } | null;
  description: string;
  warningOnly: boolean;
  editors: string[];
  domainEdit: boolean;
}

export interface ChartData {
  id: number;
  type: string;
  ranges: string[];
  position: { row: number; col: number; offsetX: number; offsetY: number };
  options: Record<string, unknown>;
}

export class SheetModel {
  /** Rows then columns, 0-based; missing entries are empty cells. */
  cells: (CellData | undefined)[][] = [];
  maxRows = 1000;
  maxCols = 26;
  frozenRows = 0;
  frozenCols = 0;
  colWidths: Record<number, number> = {};
  hidden = false;
  charts: ChartData[] = [];
  protections: ProtectionData[] = [];
  constructor(
    public id: number,
    public name: string,
  ) {}

  cell(r: number, c: number): CellData | undefined {
    return this.cells[r]?.[c];
  }

  /** The mutable cell at (r, c), created when missing. */
  ensure(r: number, c: number): CellData {
    const row = (this.cells[r] ??= []);
    return (row[c] ??= { v: '' });
  }

  hasContent(r: number, c: number): boolean {
    const cell = this.cells[r]?.[c];
    return !!cell && (cell.v !== '' || !!cell.f);
  }

  lastRow(): number {
    for (let r = this.cells.length - 1; r >= 0; r--) {
      const row = this.cells[r];
      if (row?.some((cell) => cell && (cell.v !== '' || cell.f))) return r + 1;
    }
    return 0;
  }

  lastColumn(): number {
    let last = 0;
    for (const row of this.cells) {
      if (!row) continue;
      for (let c = row.length - 1; c >= last; c--) {
        const cell = row[c];
        if (cell && (cell.v !== '' || cell.f)) {
          last = c + 1;
          break;
        }
      }
    }
    return last;
  }
}

export class WorkbookModel {
  sheets: SheetModel[] = [];
  nextSheetId = 1;
  nextObjectId = 1;
  timeZone = 'Asia/Tokyo';
  locale = 'ja_JP';
  constructor(
    public id: string,
    public name: string,
    public owner: string,
  ) {}

  sheet(name: string): SheetModel | undefined {
    return this.sheets.find((s) => s.name === name);
  }

  addSheet(name: string, index = this.sheets.length): SheetModel {
    const sheet = new SheetModel(this.nextSheetId++, name);
    this.sheets.splice(index, 0, sheet);
    return sheet;
  }
}
