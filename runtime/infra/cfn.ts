/** CloudFormation building blocks: resource shapes and intrinsic functions, as plain data. */

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: 'Retain' | 'Delete';
  UpdateReplacePolicy?: 'Retain' | 'Delete';
  Metadata?: Record<string, unknown>;
}

export type Resources = Record<string, Resource>;

export interface Parameter {
  Type: string;
  Description: string;
  Default?: string;
}

export interface Output {
  Description: string;
  Value: unknown;
}

export interface Template {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Parameters?: Record<string, Parameter>;
  Resources: Resources;
  Outputs?: Record<string, Output>;
}

export const ref = (id: string) => ({ Ref: id });
export const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });
export const sub = (text: string) => ({ 'Fn::Sub': text });
export const join = (separator: string, parts: unknown[]) => ({ 'Fn::Join': [separator, parts] });

/** `gold_orders`, `cron-*_15-x` → `GoldOrders`, `Cron15X`: logical ids are alphanumeric. */
export function pascal(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** An IAM policy document. */
export function policyDocument(statements: Array<Record<string, unknown>>) {
  return { Version: '2012-10-17', Statement: statements };
}

/** The trust policy of a role a service assumes. */
export function assumedBy(service: string) {
  return policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }]);
}
