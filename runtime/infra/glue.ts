/** One Glue database per layer, located at the layer's root. Retained with the stack: tables live in them. */
import { pascal, ref, type Resources } from './cfn.js';
import type { InfraContext } from './context.js';

export function glueResources(ctx: InfraContext): Resources {
  return Object.fromEntries(
    ctx.layers.map((l) => [
      pascal(l.layer, 'database'),
      {
        Type: 'AWS::Glue::Database',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          CatalogId: ref('AWS::AccountId'),
          DatabaseInput: {
            Name: l.database,
            Description: `${l.layer} layer of ${ctx.project}`,
            ...(l.prefix ? { LocationUri: `s3://${ctx.bucket}/${l.prefix}/` } : {}),
          },
        },
      },
    ]),
  );
}
