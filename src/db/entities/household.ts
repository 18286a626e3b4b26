import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { boolColumn, msColumn } from '../columns';

/** A household of the register (民情档案, docs/interface.md#year): one per village + 户主 + 组. */
@Entity('household')
export class HouseholdRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'village_id', type: 'varchar', length: 64 }) villageId!: string;
  @Column({ type: 'varchar', length: 64 }) head!: string;
  /** The 组 as a key ("3" for 3组); '' for none. */
  @Column({ type: 'varchar', length: 32 }) grp!: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) phone!: string | null;
  @Column({ type: 'int', nullable: true }) members!: number | null;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column(boolColumn('active', true)) active!: boolean;
  @Column(msColumn('created_at', false)) createdAt!: number;
  @Column(msColumn('updated_at', false)) updatedAt!: number;
}
